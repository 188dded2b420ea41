// Small enhancements; every page works without them.
// 1. Ticking a facet applies it at once (the "Apply filters" button stays for keyboard users).
// 2. Autocomplete for the search box as an ARIA combobox: arrows move, Enter picks, Escape closes.
(function () {
  var form = document.getElementById("facet-form");
  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target.type === "checkbox") form.submit();
    });
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
    input.value = option.dataset.value; close(); input.form.submit();
  }
  function show(suggestions) {
    close();
    suggestions.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = "q-option-" + i; li.setAttribute("role", "option"); li.dataset.value = s.text;
      li.textContent = s.text; li.className = "suggestion " + s.kind;
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(li); });
      list.appendChild(li); options.push(li);
    });
    if (options.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    timer = setTimeout(function () {
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q))
        .then(function (r) { return r.json(); })
        .then(function (data) { if (input.value.trim() === q) show(data.suggestions); })
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
