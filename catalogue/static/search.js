// Small enhancements; every page works without them.
// 1. The filters fold into a drawer on small screens (a button opens it; CSS decides when).
// 2. Ticking a facet with a pointer applies it at once and puts focus back on that same box after the
//    page reloads; with the keyboard (Space) nothing is submitted until Enter or "Apply filters"
//    (WCAG 3.2.2: a change of setting does not move the visitor elsewhere), and a live message says so.
// 3. The search page remembers its query, so an object page can offer "Back to results" (in its own language).
// 4. Autocomplete for the search box as an ARIA combobox: arrows move, Enter picks, Escape closes.
(function () {
  "use strict";
  var FOCUS_KEY = "catalogue.focus-facet";
  var RESULTS_KEY = "catalogue.last-search";

  function store(key, value) {
    try { if (value === null) { sessionStorage.removeItem(key); } else { sessionStorage.setItem(key, value); } } catch (e) { /* private mode */ }
  }
  function read(key) {
    try { return sessionStorage.getItem(key); } catch (e) { return null; }
  }

  var toggle = document.querySelector(".filters-toggle");
  var filters = document.getElementById("filters");
  if (toggle && filters) {
    toggle.addEventListener("click", function () {
      var open = !filters.classList.contains("open");
      filters.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { var first = filters.querySelector("input, summary, a, button"); if (first) first.focus(); }
    });
    filters.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && filters.classList.contains("open") && getComputedStyle(toggle).display !== "none") {
        filters.classList.remove("open"); toggle.setAttribute("aria-expanded", "false"); toggle.focus();
      }
    });
  }

  var form = document.getElementById("facet-form");
  if (form) {
    var pointer = false;
    form.addEventListener("pointerdown", function () { pointer = true; });
    form.addEventListener("keydown", function (event) {
      pointer = false;
      // Enter on a filter box applies the filters, focus coming back to that box afterwards
      if (event.key === "Enter" && event.target.type === "checkbox") {
        event.preventDefault();
        store(FOCUS_KEY, event.target.name + "=" + event.target.value);
        submitWithoutEmpty(form);
      }
    });
    form.addEventListener("change", function (event) {
      var box = event.target;
      if (box.type !== "checkbox") return;
      if (pointer) {
        store(FOCUS_KEY, box.name + "=" + box.value);
        submitWithoutEmpty(form);
      } else {
        var pending = form.querySelector(".pending");
        if (pending) pending.textContent = pending.dataset.pending;
      }
    });
    form.addEventListener("submit", function () { dropEmpty(form); });
    var wanted = read(FOCUS_KEY);
    if (wanted) {
      store(FOCUS_KEY, null);
      var eq = wanted.indexOf("=");
      Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"), function (box) {
        if (box.name === wanted.slice(0, eq) && box.value === wanted.slice(eq + 1)) {
          var folded = box.closest("details");
          if (folded) folded.open = true;
          if (toggle && filters && getComputedStyle(toggle).display !== "none") {
            filters.classList.add("open"); toggle.setAttribute("aria-expanded", "true");
          }
          box.focus();
        }
      });
    }
  }
  // empty boxes (an empty date) are left out of the URL
  function dropEmpty(f) {
    Array.prototype.forEach.call(f.querySelectorAll("input[name]"), function (input) {
      if ((input.type === "text" || input.type === "search" || input.type === "hidden" || !input.type) && input.value === "") input.disabled = true;
    });
  }
  function submitWithoutEmpty(f) { dropEmpty(f); f.submit(); }

  // Only the query is remembered, without a `lang`: the link's own address is the search page in this
  // page's language, so a visitor who switched language on an object page goes back to the same
  // results in the language now chosen.
  var results = document.getElementById("results");
  if (results && document.getElementById("facet-form")) {
    var query = new URLSearchParams(location.search);
    query.delete("lang");
    store(RESULTS_KEY, "?" + query.toString());
  }
  var back = document.getElementById("back-to-results");
  if (back) {
    var last = read(RESULTS_KEY);
    if (last && last.charAt(0) === "?") { back.href = back.getAttribute("href") + (last.length > 1 ? last : ""); back.hidden = false; }
  }

  var input = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  if (!input || !list) return;
  var active = -1, timer = null, options = [];

  function close() {
    list.hidden = true; list.innerHTML = ""; options = []; active = -1;
    input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant");
  }
  function highlight(index) {
    options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) input.setAttribute("aria-activedescendant", options[index].id);
  }
  function choose(option) {
    // a maker is a filter (the maker's works, as the facet gives them); a title is words to search for
    if (option.classList.contains("maker")) {
      var filter = document.createElement("input");
      filter.type = "hidden"; filter.name = "maker"; filter.value = option.dataset.value;
      input.form.appendChild(filter); input.disabled = true;
    } else {
      input.value = option.dataset.value;
    }
    close(); input.form.submit();
  }
  function show(suggestions, query) {
    // a newer list replaces the shown one: the option chosen with the arrows stays chosen if it is in it
    var chosen = active >= 0 ? options[active].dataset.value : null;
    close();
    list.dataset.query = query;
    suggestions.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = "q-option-" + i; li.setAttribute("role", "option"); li.dataset.value = s.value || s.text;
      li.textContent = s.text; li.className = "suggestion " + s.kind;
      if (s.kind === "maker" && list.dataset.makerLabel) {
        var kind = document.createElement("span");
        kind.className = "kind"; kind.textContent = " · " + list.dataset.makerLabel;
        li.appendChild(kind);
      }
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(li); });
      list.appendChild(li); options.push(li);
    });
    if (options.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
    options.forEach(function (option, i) { if (option.dataset.value === chosen) highlight(i); });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    timer = setTimeout(function () {
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q))
        .then(function (r) { return r.json(); })
        .then(function (data) { if (input.value.trim() === q) show(data.suggestions, q); })
        .catch(close);
    }, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % options.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + options.length) % options.length); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(options[active]); }
    else if (event.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
