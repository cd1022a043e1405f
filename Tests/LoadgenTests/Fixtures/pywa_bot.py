"""A small WhatsApp bot built on pywa (https://pypi.org/project/pywa/), as a bot owner would write it,
for loadgen's own tests (PywaBotTests): Flask serves pywa's webhook, pywa checks the handshake's verify
token and every delivery's X-Hub-Signature-256 against the app secret, and every text is answered with
a reply sent through pywa to the Graph API host pywa has built in, https://graph.facebook.com. Nothing
here points the bot at loadgen: its replies reach loadgen only through the HTTPS proxy in its
environment (HTTPS_PROXY, with loadgen's CA in SSL_CERT_FILE), as they would for any bot.

Environment (secrets never on the command line):
  WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN, WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID
  SSL_CERT_FILE    loadgen's CA (ca.pem), which httpx (pywa's HTTP client) trusts from there

Startup, in two steps because each side's port is known only once it has bound port 0: the bot binds
its webhook's socket and prints `listening on http://127.0.0.1:PORT`; then it reads one line from
stdin, the proxy's URL (`http://127.0.0.1:PORT` of `loadgen --graph-proxy`), puts it in its own
environment as HTTPS_PROXY, and only then makes its pywa client, whose httpx client reads HTTPS_PROXY
from the environment when it is made, exactly as when the variable is set before the process starts.
"""

import logging
import os
import sys
import threading

from flask import Flask
from pywa import WhatsApp, filters, types
from werkzeug.serving import make_server


def main() -> None:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    app = Flask(__name__)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"listening on http://127.0.0.1:{server.server_port}", flush=True)

    proxy = sys.stdin.readline().strip()
    if not proxy:
        sys.exit("pywa_bot: expected the proxy's URL on stdin")
    os.environ["HTTPS_PROXY"] = proxy

    wa = WhatsApp(
        phone_id=os.environ["WHATSAPP_PHONE_NUMBER_ID"],
        token=os.environ["WHATSAPP_ACCESS_TOKEN"],
        server=app,
        webhook_endpoint="/webhook",
        verify_token=os.environ["WHATSAPP_VERIFY_TOKEN"],
        app_secret=os.environ["WHATSAPP_APP_SECRET"],
        validate_updates=True,
    )

    @wa.on_message(filters.text)
    def answer(_: WhatsApp, message: types.Message) -> None:
        message.reply_text(f"You said: {message.text}", quote=True)

    @wa.on_message_status()
    def status(_: WhatsApp, status: types.MessageStatus) -> None:
        # One line per status pywa parsed (it reads the user from the value's contacts[]): the test counts them.
        # Through logging, whose handler writes each line whole: Flask serves requests on several threads.
        logging.warning("pywa parsed status %s of %s for %s", status.status, status.id, status.from_user.bsuid)

    def exit_when_stdin_closes() -> None:
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    print("serving", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
