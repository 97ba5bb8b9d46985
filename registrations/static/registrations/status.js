// The registration status on an event page may come from a page cached for minutes: refresh it
// from its small fragment, which is correct within seconds.
document.querySelectorAll("[data-registration-status]").forEach(function (box) {
  fetch(box.getAttribute("data-registration-status"), { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.text() : null; })
    .then(function (html) { if (html !== null) { box.innerHTML = html; } })
    .catch(function () {});
});
