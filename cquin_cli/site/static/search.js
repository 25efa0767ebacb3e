/* cquin site search: plain JavaScript over the index written with the site
   (search-index.js, which holds the JSON of search-index.json). Loaded as a script,
   so it works from file:// with no server. Results are built with textContent, so
   nothing in the index ever becomes markup; only the site's own page addresses are
   followed. */
(function () {
  "use strict";
  var box = document.getElementById("search-box");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!box || !list) { return; }
  var root = document.body.getAttribute("data-root") || "";
  var entries = null;
  var safe = /^[a-z0-9][a-z0-9\/._-]*\.html(#[a-z0-9-]+)?$/;
  var form = box.form;
  if (form) { form.addEventListener("submit", function (e) { e.preventDefault(); }); }

  function prepared(index) {
    var list = (index || {entries: []}).entries || [];
    for (var i = 0; i < list.length; i++) {
      var e = list[i];
      e.s = (e.t + " " + e.k + " " + (e.w || "")).toLowerCase();
    }
    return list;
  }

  function load(then) {
    if (entries !== null) { then(); return; }
    if (window.cquinSearchIndex) { entries = prepared(window.cquinSearchIndex); then(); return; }
    var script = document.createElement("script");
    script.src = root + "search-index.js";
    script.onload = function () { entries = prepared(window.cquinSearchIndex); then(); };
    script.onerror = function () { entries = []; status.textContent = "The search index could not be loaded."; };
    document.head.appendChild(script);
  }

  function search() {
    var words = box.value.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (words.length === 0) { status.textContent = ""; return; }
    var found = [];
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i];
      var text = e.s;
      var all = true;
      for (var k = 0; k < words.length; k++) { if (text.indexOf(words[k]) < 0) { all = false; break; } }
      if (all && safe.test(e.u)) { found.push(e); }
    }
    var shown = found.slice(0, 25);
    shown.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + e.u;
      a.textContent = e.t;
      li.appendChild(a);
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " " + e.k;
      li.appendChild(kind);
      list.appendChild(li);
    });
    status.textContent = found.length === 0 ? "Nothing found." :
      (found.length > shown.length ? found.length + " found; the first " + shown.length + " are shown." :
       found.length + " found.");
  }

  box.addEventListener("input", function () { load(search); });
  box.addEventListener("focus", function () { load(function () {}); });
}());
