/* The main navigation's menus (<details>): one open at a time; a click elsewhere or Escape
   closes them. Without this script the menus still open and close. */
(function () {
  function menus() { return document.querySelectorAll("nav.main-nav details.menu"); }
  document.addEventListener("toggle", function (e) {
    var d = e.target;
    if (!d.matches || !d.matches("nav.main-nav details.menu") || !d.open) return;
    menus().forEach(function (m) { if (m !== d) m.open = false; });
  }, true);
  document.addEventListener("click", function (e) {
    menus().forEach(function (m) { if (m.open && !m.contains(e.target)) m.open = false; });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") menus().forEach(function (m) { m.open = false; });
  });
})();
