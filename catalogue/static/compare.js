/* The comparison page (/compare): deep zoom over each still image (OpenSeadragon on our IIIF tiles),
   zoom buttons that are real buttons, "Link zoom and pan" keeping both views at the same relative
   zoom and centre, and copy buttons. Everything it needs is in data-* attributes: the Content
   Security Policy allows no inline script. Without JavaScript the page still shows both stills, the
   table and every link. OpenSeadragon is started by static/viewer.js (loaded first), which also
   makes the copy buttons work. */
(function () {
  "use strict";

  var ZOOM_STEP = 1.5;

  function startDeepZoom(box) {
    // Two images rarely have the same resolution: past its own pixels the smaller one would stop
    // zooming while the other goes on, and the linked views would part. Both may go to 4x.
    var viewer = window.CatalogueViewer.start(box, { maxZoomPixelRatio: 4, gestureSettingsMouse: { scrollToZoom: false, clickToZoom: true } });
    // the canvas takes the keys (arrows, + and -, 0): a widget of its own, named after its object
    viewer.canvas.setAttribute("role", "application");
    viewer.canvas.setAttribute("aria-label", box.dataset.label);
    viewer.canvas.setAttribute("aria-describedby", "viewer-keys");
    return viewer;
  }

  // A view as fractions of its own image: the centre in image widths and heights, the zoom as a
  // multiple of the zoom that shows the whole image. Both images then show the same part of
  // themselves, whatever their sizes and shapes.
  function relativeView(viewer) {
    var viewport = viewer.viewport;
    var home = viewer.world.getHomeBounds(); // the image's own bounds, not the home view's
    var centre = viewport.getCenter(true);
    return {
      x: (centre.x - home.x) / home.width,
      y: (centre.y - home.y) / home.height,
      zoom: viewport.getZoom(true) / viewport.getHomeZoom(),
    };
  }

  function applyView(viewer, view) {
    var viewport = viewer.viewport;
    var home = viewer.world.getHomeBounds();
    viewport.zoomTo(view.zoom * viewport.getHomeZoom(), null, true);
    viewport.panTo(new OpenSeadragon.Point(home.x + view.x * home.width, home.y + view.y * home.height), true);
  }

  // Links the viewers: whichever the visitor last touched, clicked, scrolled, focused or pressed a
  // key in leads, and the others follow it frame by frame. Only the leader's changes are passed on,
  // so a follower's own redraw never pulls the leader back mid-animation.
  function linkViewers(viewers, checkbox) {
    var leader = null;
    function lead(viewer) {
      leader = viewer;
    }
    function follow() {
      if (!checkbox.checked || !leader || !leader.world.getItemCount()) {
        return;
      }
      var view = relativeView(leader);
      viewers.forEach(function (other) {
        if (other !== leader && other.world.getItemCount()) {
          applyView(other, view);
        }
      });
    }
    viewers.forEach(function (viewer) {
      var section = viewer.element.closest(".compare-object");
      ["pointerdown", "wheel", "keydown", "touchstart", "focusin"].forEach(function (name) {
        section.addEventListener(name, function () { lead(viewer); }, { capture: true, passive: true });
      });
      viewer.addHandler("viewport-change", function () {
        if (viewer === leader) {
          follow();
        }
      });
    });
    checkbox.addEventListener("change", function () {
      if (checkbox.checked) {
        leader = leader || viewers[0];
        follow();
      }
    });
  }

  function controls(viewers) {
    document.querySelectorAll(".compare-controls").forEach(function (group) {
      group.hidden = false;
    });
    document.querySelectorAll(".compare-controls button").forEach(function (button) {
      var box = document.getElementById(button.dataset.viewer);
      button.addEventListener("click", function () {
        var viewer = box && box.openSeadragon;
        if (!viewer || viewers.indexOf(viewer) < 0) {
          return;
        }
        if (button.dataset.action === "zoom-in") {
          viewer.viewport.zoomBy(ZOOM_STEP);
        } else if (button.dataset.action === "zoom-out") {
          viewer.viewport.zoomBy(1 / ZOOM_STEP);
        } else {
          viewer.viewport.goHome();
        }
        viewer.viewport.applyConstraints();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.OpenSeadragon || !window.CatalogueViewer) {
      return; // the stills stay, without deep zoom
    }
    var viewers = Array.prototype.map.call(document.querySelectorAll(".compare-deepzoom"), startDeepZoom);
    if (!viewers.length) {
      return;
    }
    controls(viewers);
    document.getElementById("viewer-keys").hidden = false;
    var checkbox = document.getElementById("link-views");
    if (viewers.length > 1 && checkbox) {
      checkbox.closest(".compare-link").hidden = false;
      linkViewers(viewers, checkbox);
    }
  });
})();
