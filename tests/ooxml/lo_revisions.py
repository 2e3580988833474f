"""Accept or reject every tracked change of a .docx in LibreOffice and print its paragraphs.

Run by a Python that has LibreOffice's UNO bridge (Debian's python3-uno, for /usr/bin/python3),
not by the project's venv: ``python3 lo_revisions.py SOFFICE PROFILE_URL DOCX accept|reject``.
It starts its own LibreOffice (headless, on a private pipe and profile) and ends it.
"""

import contextlib
import os
import subprocess
import sys
import time
import uuid

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

COMMANDS = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}


def main(soffice: str, profile: str, path: str, mode: str) -> int:
    pipe = "speechdraft" + uuid.uuid4().hex
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _ in range(240):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # not listening yet
                time.sleep(0.25)
        else:
            print("LibreOffice did not answer", file=sys.stderr)
            return 2
        manager = context.ServiceManager
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        hidden = PropertyValue()
        hidden.Name, hidden.Value = "Hidden", True
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        document = desktop.loadComponentFromURL(url, "_blank", 0, (hidden,))
        if not document.getRedlines().createEnumeration().hasMoreElements():
            print("LibreOffice read no tracked changes", file=sys.stderr)
            return 3
        dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        frame = document.getCurrentController().getFrame()
        dispatcher.executeDispatch(frame, COMMANDS[mode], "", 0, ())
        paragraphs = document.getText().createEnumeration()
        texts = []
        while paragraphs.hasMoreElements():
            texts.append(paragraphs.nextElement().getString())
        sys.stdout.write("\n".join(texts))
        document.close(True)
        with contextlib.suppress(Exception):  # the bridge goes down with the office
            desktop.terminate()
        return 0
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
