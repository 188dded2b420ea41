/* The membership form's names table: a button that adds one more (language, name) row. Without
   JavaScript the form already offers spare rows, and a form sent back with errors offers them again.
   The button's label comes from a data-* attribute, so that it is translated with the page. */
(function () {
  "use strict";

  function renumber(row, index) {
    row.querySelectorAll("input, label").forEach(function (element) {
      ["id", "for"].forEach(function (name) {
        var value = element.getAttribute(name);
        if (value) {
          element.setAttribute(name, value.replace(/-\d+$/, "-" + index));
        }
      });
    });
  }

  function addRow(rows) {
    var all = rows.querySelectorAll(".name-row");
    var row = all[all.length - 1].cloneNode(true);
    row.querySelectorAll(".field-error").forEach(function (message) {
      message.remove();
    });
    row.querySelectorAll("input").forEach(function (input) {
      input.value = "";
      input.required = false;
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
    renumber(row, all.length);
    rows.appendChild(row);
    row.querySelector("input").focus();
    return all.length + 1;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var rows = document.getElementById("name-rows");
    if (!rows) {
      return;
    }
    var most = parseInt(rows.dataset.maxRows || "20", 10);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "add-name";
    button.textContent = rows.dataset.addLabel;
    button.addEventListener("click", function () {
      if (addRow(rows) >= most) {
        button.hidden = true;
      }
    });
    rows.after(button);
  });
})();
