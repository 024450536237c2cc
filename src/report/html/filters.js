// crosscheck report: filters (language, article, verdict, same event), search, counts, and
// links that open the collapsed section they point into. Plain JavaScript, no network.
// Filters can also be given in the address: index.html?lang=pt&verdict=disputed&event=yes&q=putin
(function () {
  "use strict";
  var byId = function (id) { return document.getElementById(id); };
  var controls = { lang: byId("f-lang"), article: byId("f-art"), verdict: byId("f-verdict"),
                   event: byId("f-event"), q: byId("f-q") };
  var items = Array.prototype.slice.call(document.querySelectorAll(".f"));
  var claims = Array.prototype.slice.call(document.querySelectorAll(".cl[data-v]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".grp"));
  var counts = Array.prototype.slice.call(document.querySelectorAll(".count[data-of]"));
  var totals = counts.map(function (c) { return c.textContent; });
  var texts = items.map(function (el) { return el.textContent.toLowerCase(); });

  function has(set, value) {
    return (set || "").indexOf(" " + value + " ") >= 0;
  }

  function apply() {
    var lang = controls.lang.value, article = controls.article.value;
    var verdict = controls.verdict.value, event = controls.event.value;
    var q = controls.q.value.trim().toLowerCase();
    var shown = 0;
    items.forEach(function (el, i) {
      var d = el.dataset;
      var ok = (!lang || has(d.l, lang)) && (!article || has(d.a, article)) &&
               (!verdict || !d.v || d.v === verdict) && (!event || !d.e || d.e === event) &&
               (!q || texts[i].indexOf(q) >= 0);
      el.hidden = !ok;
      if (ok) { shown++; }
      if (ok && article && el.classList.contains("doc")) { el.open = true; }
    });
    claims.forEach(function (el) {
      el.classList.toggle("dim", !!verdict && el.dataset.v !== verdict);
    });
    groups.forEach(function (g) {
      g.hidden = !g.querySelector(".f:not([hidden])");
    });
    var filtering = lang || article || verdict || event || q;
    counts.forEach(function (c, i) {
      if (!filtering) { c.textContent = totals[i]; return; }
      var all = document.querySelectorAll(c.dataset.of);
      var visible = 0;
      for (var k = 0; k < all.length; k++) { if (!all[k].hidden) { visible++; } }
      c.textContent = visible + " of " + all.length + " shown";
    });
    byId("f-shown").textContent = filtering ? shown + " of " + items.length + " items shown" : "";
  }

  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && byId(id);
    if (!target) { return; }
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
    }
    target.classList.add("target");
    target.scrollIntoView({ block: "center" });
  }

  var params = new URLSearchParams(location.search);
  Object.keys(controls).forEach(function (key) {
    var value = params.get(key);
    if (value !== null) { controls[key].value = value; }
    controls[key].addEventListener(key === "q" ? "input" : "change", apply);
  });
  byId("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  window.addEventListener("hashchange", reveal);
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[href^='#']");
    if (link && link.getAttribute("href") === location.hash) { reveal(); }
  });
  apply();
  reveal();
  document.documentElement.setAttribute("data-ready", "1");
})();
