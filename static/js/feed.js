// The "N new" prompt of /feed/: every 30 seconds, ask how many items the fan-out wrote since
// the page was made, and show the link to see them once there are any.
(function () {
  "use strict";
  var POLL_MS = 30000;

  function start() {
    var prompt = document.getElementById("feed-new");
    if (!prompt) return;
    var url = prompt.getAttribute("data-poll-url");
    var since = prompt.getAttribute("data-since");
    var count = prompt.querySelector("[data-count]");

    function poll() {
      fetch(url + "?since=" + encodeURIComponent(since), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && data.count > 0) {
            count.textContent = String(data.count);
            prompt.hidden = false;
          }
        })
        .catch(function () {});
    }
    window.setInterval(poll, Number(prompt.getAttribute("data-interval")) || POLL_MS);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
