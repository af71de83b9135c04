/* Agora: the order summary of the checkout and pay pages (a <details data-checkout-summary>).
   On phones it stays closed at the top of the page ("Show order summary · €…"); where the
   page is wide enough for the side column it is opened, and the CSS hides its toggle there.
   Without this script the summary is a closed disclosure everywhere, opened by a click. */
(function () {
  "use strict";

  var summaries = document.querySelectorAll("[data-checkout-summary]");
  if (!summaries.length || !window.matchMedia) {
    return;
  }
  // The same width as the side column's media query in agora.css.
  var wide = window.matchMedia("(min-width: 60em)");

  function fit() {
    summaries.forEach(function (summary) {
      summary.open = wide.matches;
    });
  }

  fit();
  wide.addEventListener("change", fit);
})();
