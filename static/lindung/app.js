/* Lindung: the little behaviour pages need, served from our own origin (the CSP allows no inline
   script). Everything here is progressive: without it, every page still works. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  /* Forms that move money or change a status ask first: <form data-confirm="Reverse this payment?">.
     Boosted forms use htmx's own hx-confirm. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    /* Work that can take seconds: the button shows it is busy and cannot be pressed twice. */
    var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    if (button && !form.hasAttribute("hx-boost") && form.method.toLowerCase() === "post") {
      window.setTimeout(function () {
        button.setAttribute("aria-busy", "true");
        button.setAttribute("disabled", "");
      }, 0);
      /* A download answers without leaving the page: give the button back. */
      window.setTimeout(function () { release(button); }, 15000);
    }
  }, true);

  function release(button) {
    button.removeAttribute("aria-busy");
    button.removeAttribute("disabled");
  }
  /* Back to a page from the browser's cache: its buttons work again. */
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("button[aria-busy=true]").forEach(release);
  });

  /* Boosted forms and htmx requests: the element that started the request shows it is busy. */
  document.addEventListener("htmx:beforeRequest", function (event) {
    var button = event.detail.elt.querySelector && event.detail.elt.querySelector("button[type=submit]");
    if (button) { button.setAttribute("aria-busy", "true"); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var button = event.detail.elt.querySelector && event.detail.elt.querySelector("button[type=submit]");
    if (button) { button.removeAttribute("aria-busy"); }
  });

  /* The navigation folds behind a button on narrow screens. */
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".menu-toggle");
    if (!toggle) { return; }
    var nav = toggle.closest("nav");
    var open = nav.classList.toggle("menu-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
