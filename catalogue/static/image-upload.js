// The images page of a record (templates/curate/images.html), made nicer when scripts run:
// - the upload form is sent with XMLHttpRequest, so a <progress> bar follows the batch; the
//   server answers JSON (its message on failure), and on success the image list is fetched afresh;
// - each alt text form gets an "Add a language" button that adds an empty row.
// Without this script every form still works: it posts and the page comes back.
(function () {
  "use strict";

  function setUpUpload(form) {
    var input = form.querySelector('input[type="file"]');
    var button = form.querySelector('button[type="submit"]');
    var progress = form.querySelector("progress");
    var status = form.querySelector(".upload-status");
    var error = form.querySelector(".field-error");
    var text = form.dataset;

    function say(message) {
      status.textContent = message || "";
    }

    function fail(message) {
      error.textContent = message;
      error.hidden = false;
      input.setAttribute("aria-invalid", "true");
      say("");
    }

    function messageOf(xhr) {
      try {
        var reply = JSON.parse(xhr.responseText);
        if (reply && reply.message) return reply.message;
      } catch (ignored) {
        // not JSON: a proxy's page, or a refusal made before the catalogue saw the request
      }
      return xhr.status === 413 ? text.msgTooLarge : text.msgFailed;
    }

    function succeeded(xhr) {
      var reply = {};
      try {
        reply = JSON.parse(xhr.responseText);
      } catch (ignored) {
        reply = {};
      }
      progress.value = progress.max;
      form.reset();
      refreshList(reply.message || "");
    }

    function refreshList(message) {
      fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("image-list");
          var current = document.getElementById("image-list");
          if (!fresh || !current) throw new Error("no image list");
          current.replaceWith(document.importNode(fresh, true));
          setUpAltForms(document);
          say(message);
        })
        .catch(function () {
          say(text.msgRefresh);
        });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!input.files || !input.files.length) {
        fail(text.msgChoose);
        return;
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", form.elements.csrf_token.value);
      xhr.upload.addEventListener("progress", function (progressEvent) {
        if (progressEvent.lengthComputable) {
          progress.max = progressEvent.total;
          progress.value = progressEvent.loaded;
        }
      });
      xhr.addEventListener("load", function () {
        button.disabled = false;
        if (xhr.status >= 200 && xhr.status < 300) {
          succeeded(xhr);
        } else {
          progress.hidden = true;
          fail(messageOf(xhr));
        }
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        progress.hidden = true;
        fail(text.msgNetwork);
      });
      error.hidden = true;
      error.textContent = "";
      input.removeAttribute("aria-invalid");
      progress.max = 100;
      progress.value = 0;
      progress.hidden = false;
      button.disabled = true;
      say(text.msgUploading);
      xhr.send(new FormData(form));
    });
  }

  var rowsAdded = 0;

  function addLanguageRow(form) {
    var template = form.querySelector(".alt-row[data-new-row]");
    var rows = form.querySelectorAll(".alt-row");
    var row = template.cloneNode(true);
    row.removeAttribute("data-new-row");
    rowsAdded += 1;
    row.querySelectorAll("input").forEach(function (field) {
      var label = row.querySelector('label[for="' + field.id + '"]');
      field.id = field.id + "-added-" + rowsAdded;
      field.value = "";
      if (label) label.htmlFor = field.id;
    });
    rows[rows.length - 1].after(row);
    row.querySelector("input").focus();
  }

  function setUpAltForms(root) {
    root.querySelectorAll("form.image-alt").forEach(function (form) {
      var button = form.querySelector("button.add-language");
      if (!button || !button.hidden) return; // already set up
      button.hidden = false;
      button.addEventListener("click", function () {
        addLanguageRow(form);
      });
    });
  }

  var upload = document.getElementById("image-upload");
  if (upload && window.XMLHttpRequest && window.FormData && window.fetch && window.DOMParser) {
    setUpUpload(upload);
  }
  setUpAltForms(document);
})();
