// Inside Telegram, the Mini App's signed initData comes in the address's
// fragment (tgWebAppData); posting it signs the user in. It is posted by
// itself only inside Telegram's own view (its proxy object, or a frame of
// web.telegram.org): a link elsewhere carrying someone's initData must not
// sign a browser in without its user's tap. No third-party script is
// loaded.
(function () {
  "use strict";
  var form = document.getElementById("tg-signin");
  var data = form && new URLSearchParams(location.hash.slice(1)).get("tgWebAppData");
  if (data) {
    form.elements["init_data"].value = data;
    if (window.TelegramWebviewProxy || window.parent !== window) {
      document.getElementById("tg-wait").classList.remove("hidden");
      form.submit();
    } else {
      document.getElementById("tg-button").classList.remove("hidden");
    }
  }
  // The report's print button: shown only where a script runs.
  var print = document.getElementById("print");
  if (print && window.print) {
    print.classList.remove("hidden");
    print.addEventListener("click", function () { window.print(); });
  }
})();
