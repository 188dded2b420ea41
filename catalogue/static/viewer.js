/* Deep zoom over the web-sized image (OpenSeadragon on our IIIF tiles), thumbnails that switch the
   image shown, and copy buttons. Everything it needs is in data-* attributes: the Content Security
   Policy allows no inline script. Without JavaScript the page still shows the image and the links.
   Other pages with deep zoom (the comparison) start their viewers with `CatalogueViewer.start`. */
(function () {
  "use strict";

  // options: OpenSeadragon settings that differ from ours (the comparison allows deeper zoom)
  function startDeepZoom(box, options) {
    if (!window.OpenSeadragon) {
      return null;
    }
    var strings = JSON.parse(box.dataset.strings || "{}");
    Object.keys(strings).forEach(function (name) {
      OpenSeadragon.setString(name, strings[name]);
    });
    // OpenSeadragon adds a <style> for touch screens unless it finds one, and the CSP refuses inline
    // styles. Its rule is in style.css; a <style> outside HTML's namespace (which no browser applies,
    // so the CSP has nothing to refuse) tells it not to try.
    if (!document.querySelector("style[data-openseadragon-mobile-css]")) {
      var marker = document.createElementNS("urn:x-catalogue:marker", "style");
      marker.setAttribute("data-openseadragon-mobile-css", "true");
      document.head.appendChild(marker);
    }
    box.hidden = false;
    var settings = {
      element: box,
      tileSources: box.dataset.tileSource,
      prefixUrl: box.dataset.prefixUrl,
      drawer: "canvas",
      showNavigationControl: false, // our own buttons (.zoom-controls): focusable, translated
      maxZoomPixelRatio: 2, // up to two screen pixels per image pixel: "Zoom in" always does something
      showRotationControl: false,
      gestureSettingsMouse: { scrollToZoom: box.dataset.scrollZoom === "true", clickToZoom: true },
    };
    Object.keys(options || {}).forEach(function (name) { settings[name] = options[name]; });
    var viewer = OpenSeadragon(settings);
    // data-zoom says how far the view is zoomed (tests read it; 1 is the whole image in the box)
    viewer.addHandler("zoom", function (event) {
      box.dataset.zoom = event.zoom.toFixed(3);
    });
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
  window.CatalogueViewer = { start: startDeepZoom };

  function showImage(link, still, viewer) {
    still.removeAttribute("srcset");
    still.width = Number(link.dataset.width);
    still.height = Number(link.dataset.height);
    still.src = link.dataset.src;
    still.sizes = link.dataset.sizes;
    still.srcset = link.dataset.srcset;
    still.alt = link.dataset.alt;
    if (viewer) {
      viewer.open(link.dataset.tileSource);
    }
    document.querySelectorAll(".thumbs a").forEach(function (other) {
      other.removeAttribute("aria-current");
    });
    link.setAttribute("aria-current", "true");
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

  var ZOOM_STEP = 2; // as OpenSeadragon's own buttons (zoomPerClick)

  function wireControls(viewer) {
    var controls = document.querySelector(".zoom-controls");
    if (!controls || !viewer) return;
    controls.hidden = false;
    controls.addEventListener("click", function (event) {
      var action = event.target.dataset ? event.target.dataset.zoom : null;
      if (action === "in") viewer.viewport.zoomBy(ZOOM_STEP);
      else if (action === "out") viewer.viewport.zoomBy(1 / ZOOM_STEP);
      else if (action === "home") viewer.viewport.goHome();
      else if (action === "full") viewer.setFullScreen(!viewer.isFullPage());
      if (action && action !== "full") viewer.viewport.applyConstraints();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".zoomable > .deepzoom");
    var still = document.querySelector(".zoomable .still");
    var viewer = box ? startDeepZoom(box) : null;
    wireControls(viewer);
    document.querySelectorAll(".thumbs a").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        showImage(link, still, viewer);
      });
    });
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  });
})();
