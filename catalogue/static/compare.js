/* The comparison page (/compare): deep zoom over each still image (OpenSeadragon on our IIIF tiles),
   zoom buttons that are real buttons, "Link zoom and pan" keeping both views at the same relative
   zoom and centre, and copy buttons. Everything it needs is in data-* attributes: the Content
   Security Policy allows no inline script. Without JavaScript the page still shows both stills, the
   table and every link. Parts of static/viewer.js (starting OpenSeadragon, copying) are repeated here
   so that the object page's script can change without breaking this page. */
(function () {
  "use strict";

  var ZOOM_STEP = 1.5;

  function startDeepZoom(box) {
    // OpenSeadragon adds a <style> for touch screens unless it finds one, and the CSP refuses inline
    // styles. Its rule is in compare.css; a <style> outside HTML's namespace (which no browser
    // applies, so the CSP has nothing to refuse) tells it not to try.
    if (!document.querySelector("style[data-openseadragon-mobile-css]")) {
      var marker = document.createElementNS("urn:x-catalogue:marker", "style");
      marker.setAttribute("data-openseadragon-mobile-css", "true");
      document.head.appendChild(marker);
    }
    box.hidden = false;
    var viewer = OpenSeadragon({
      element: box,
      tileSources: box.dataset.tileSource,
      prefixUrl: box.dataset.prefixUrl,
      drawer: "canvas",
      showNavigationControl: false, // our own buttons below each image (focusable, translated)
      // Two images rarely have the same resolution: past its own pixels the smaller one would stop
      // zooming while the other goes on, and the linked views would part. Both may go to 4x.
      maxZoomPixelRatio: 4,
      gestureSettingsMouse: { scrollToZoom: false, clickToZoom: true },
    });
    // the canvas takes the keys (arrows, + and -, 0): a widget of its own, named after its object
    viewer.canvas.setAttribute("role", "application");
    viewer.canvas.setAttribute("aria-label", box.dataset.label);
    viewer.canvas.setAttribute("aria-describedby", "viewer-keys");
    // data-state tells when every tile in view has been drawn (and lets tests wait for it)
    viewer.world.addHandler("add-item", function (event) {
      box.dataset.state = "loading";
      event.item.addHandler("fully-loaded-change", function (change) {
        box.dataset.state = change.fullyLoaded ? "loaded" : "loading";
      });
    });
    viewer.addHandler("open-failed", function () {
      box.hidden = true; // the still image underneath stays
      box.dataset.state = "failed";
    });
    box.openSeadragon = viewer; // for tests and the browser console
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

  function copy(button) {
    var field = document.getElementById(button.dataset.copy);
    var status = document.querySelector(".copy-status");
    function said(ok) {
      status.textContent = ok ? status.dataset.copied : status.dataset.failed;
    }
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { said(true); }, function () { said(false); });
    } else {
      said(document.execCommand("copy"));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
    if (!window.OpenSeadragon) {
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
