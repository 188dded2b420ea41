/* Mirador (the offline bundle in static/vendor) over our manifest; data-* attributes carry what it
   needs, since the Content Security Policy allows no inline script. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var root = document.getElementById("mirador");
  var languages = { zh: "zh-CN", ko: "kr" }; // Mirador's names where they differ from ours
  var language = languages[root.dataset.language] || root.dataset.language;
  Mirador.viewer({
    id: "mirador",
    language: language,
    windows: [{ manifestId: root.dataset.manifest }],
    window: { allowClose: false, allowMaximize: false, defaultSideBarPanel: "info" },
    workspaceControlPanel: { enabled: false },
  });
});
