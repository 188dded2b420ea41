// The record form's "Add a language" and "Add a row" buttons: a copy of the last row, emptied and
// numbered next (title.2.lang -> title.3.lang). Without scripts the form always shows two spare
// rows, so it works without this; the buttons stay hidden then.
(function () {
  "use strict";

  function renumber(text, field, from, to) {
    return text
      .split(field + "." + from + ".").join(field + "." + to + ".")
      .split("-" + field + "-" + from + "-").join("-" + field + "-" + to + "-");
  }

  function emptied(row, field, from, to) {
    var copy = row.cloneNode(true);
    copy.dataset.row = String(to);
    copy.querySelectorAll(".field-error, .field-warning").forEach(function (node) { node.remove(); });
    copy.querySelectorAll("[data-row-number]").forEach(function (node) { node.textContent = String(to + 1); });
    copy.querySelectorAll("input, textarea, select, label, [id]").forEach(function (node) {
      ["name", "id", "for"].forEach(function (attribute) {
        var value = node.getAttribute(attribute);
        if (value) node.setAttribute(attribute, renumber(value, field, from, to));
      });
      var described = node.getAttribute("aria-describedby");
      if (described) {
        var kept = described.split(" ").filter(function (id) { return id.indexOf("h-") === 0; });
        if (kept.length) node.setAttribute("aria-describedby", kept.map(function (id) { return renumber(id, field, from, to); }).join(" "));
        else node.removeAttribute("aria-describedby");
      }
      node.removeAttribute("aria-invalid");
      if (node.matches("input:not([type=checkbox]):not([type=hidden]), textarea")) node.value = "";
      if (node.matches("select")) node.selectedIndex = 0;
    });
    return copy;
  }

  function addRow(button) {
    var field = button.dataset.add;
    var rows = document.querySelector('[data-repeat="' + field + '"]');
    var all = rows ? rows.querySelectorAll(":scope > [data-row]") : [];
    if (!all.length) return;
    var last = all[all.length - 1];
    var from = Number(last.dataset.row);
    var copy = emptied(last, field, from, from + 1);
    rows.appendChild(copy);
    var first = copy.querySelector("input, textarea, select");
    if (first) first.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-add]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { addRow(button); });
    });
  });
})();
