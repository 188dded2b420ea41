/* The Universal Viewer (the offline bundle in static/vendor) over our manifest; data-* attributes
   carry what it needs, since the Content Security Policy allows no inline script. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var root = document.getElementById("uv");
  var viewer = UV.init("uv", { manifest: root.dataset.manifest });
  // UV's own embed code points at a uv.html page we do not serve: the object page offers ours
  viewer.on("configure", function (event) {
    event.cb({ modules: { shareDialogue: { options: { embedEnabled: false } } } });
  });
});
