// Root page: send the reader to the site language that best matches their browser; the
// links stay visible for everyone else (and for browsers without JavaScript).
(function () {
  var list = document.querySelector(".language-choice");
  if (!list || !navigator.languages) return;
  var links = {};
  list.querySelectorAll("a[data-lang]").forEach(function (a) { links[a.dataset.lang] = a.href; });
  for (var i = 0; i < navigator.languages.length; i++) {
    var code = navigator.languages[i].toLowerCase().split("-")[0];
    if (links[code]) { window.location.replace(links[code]); return; }
  }
})();
