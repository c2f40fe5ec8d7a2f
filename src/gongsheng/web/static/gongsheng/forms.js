/* Form behaviour the templates ask for by attribute, so that no page needs an inline handler
   (the Content-Security-Policy runs no inline script: decision 0805):
   - <select data-autosubmit>: changing it submits its form (filters, the language);
   - <form data-confirm="question">: submitting asks the question first (delete forms).
   Without this script the forms still work: filters by their button or Enter, deletes at once
   after their own page's warning. */
(function () {
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
  });
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
})();
