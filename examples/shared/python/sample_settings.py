"""What the Python samples share with each other and with the C# samples' ExampleSettings: the settings read from
the environment, the read loop and the one-line error. Only KEYVAULT_URL and SECRET_NAME are needed in a real
cluster (the webhook injects the identity variables); the others exist for local runs and the sandbox."""

import logging
import os
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Mapping, Optional, TextIO, Tuple, Type
from urllib.parse import urlparse

# The webhook injects these four variables into every container of an opted-in pod.
IDENTITY_VARIABLES = ("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST")

_VAULT_EXAMPLE = "e.g. https://myvault.vault.azure.net/"
_AADSTS = re.compile(r"AADSTS\d+:")


class SettingsError(Exception):
    """A missing or malformed variable; the message is one line naming it and the fix."""


@dataclass(frozen=True)
class SampleSettings:
    keyvault_url: str
    secret_name: str
    refresh_seconds: int
    disable_instance_discovery: bool
    disable_challenge_resource_verification: bool

    @staticmethod
    def from_environment(environ: Mapping[str, str] = os.environ) -> "SampleSettings":
        url = environ.get("KEYVAULT_URL", "").strip()
        if not url:
            raise SettingsError(f"KEYVAULT_URL environment variable not set: set it to the vault's URL, {_VAULT_EXAMPLE}")
        parsed = urlparse(url)
        if parsed.scheme != "https" or not parsed.netloc:
            raise SettingsError(f'KEYVAULT_URL "{url}" is not an https URL: set it to the vault\'s URL, {_VAULT_EXAMPLE}')
        name = environ.get("SECRET_NAME", "").strip()
        if not name:
            raise SettingsError("SECRET_NAME environment variable not set: set it to the name of the secret to read")
        refresh = environ.get("SECRET_REFRESH_SECONDS", "").strip()
        seconds = 60
        if refresh:
            if not refresh.isdigit():
                raise SettingsError(
                    f'SECRET_REFRESH_SECONDS "{refresh}" is not a whole number of seconds (0 = read once and exit)')
            seconds = int(refresh)
        return SampleSettings(
            url,
            name,
            seconds,
            _flag(environ, "AZURE_DISABLE_INSTANCE_DISCOVERY"),
            _flag(environ, "KEYVAULT_DISABLE_CHALLENGE_RESOURCE_VERIFICATION"),
        )

    def run(
        self,
        read_secret: Callable[[], str],
        failures: Tuple[Type[BaseException], ...],
        out: TextIO = sys.stdout,
        err: TextIO = sys.stderr,
        sleep: Callable[[float], None] = time.sleep,
    ) -> int:
        """Reads the secret once, or every refresh_seconds until stopped; exit code 1 on a failure."""
        while True:
            try:
                value = read_secret()
            except failures as error:
                print(f'failed to get secret "{self.secret_name}" from {self.keyvault_url}: {one_line(error)}',
                      file=err, flush=True)
                return 1
            print(f"successfully got secret, secret={value}", file=out, flush=True)
            if self.refresh_seconds == 0:
                return 0
            sleep(self.refresh_seconds)


@contextmanager
def packages_or_exit(debian_packages: str):
    """Around a sample's SDK imports: a missing package ends the run with one line saying how to install it."""
    try:
        yield
    except ImportError as missing:
        print(f'the Python package providing "{missing.name}" is not installed: pip install -r requirements.txt '
              f"(or, on Debian, apt-get install {debian_packages})", file=sys.stderr, flush=True)
        sys.exit(2)


def main(
    start: Callable[[SampleSettings, Optional[Mapping[str, str]]], Callable[[], str]],
    failures: Tuple[Type[BaseException], ...],
    needs_identity: bool = False,
) -> int:
    """A sample's whole run: reads the settings (and, with needs_identity, the injected variables), lets start build
    the secret reader from them, then reads the secret until stopped. Returns the exit code: 2 for a missing or
    malformed variable, 1 for a failed read, 0 after Ctrl+C."""
    # The SDKs log a credential chain's failures as multi-line warnings (Python prints them when nothing else is
    # configured); the sample reports a failure itself, in one line.
    logging.getLogger("azure").setLevel(logging.ERROR)
    try:
        settings = SampleSettings.from_environment()
        identity = require_identity_variables() if needs_identity else None
    except SettingsError as error:
        print(error, file=sys.stderr, flush=True)
        return 2
    try:
        return settings.run(start(settings, identity), failures)
    except KeyboardInterrupt:
        return 0


def require_identity_variables(environ: Mapping[str, str] = os.environ) -> Mapping[str, str]:
    """The four injected variables, or a SettingsError naming the missing ones and how to get them."""
    missing = [name for name in IDENTITY_VARIABLES if not environ.get(name, "").strip()]
    if missing:
        raise SettingsError(
            f"{', '.join(missing)} not set: label the pod azure.workload.identity/use=\"true\" and annotate its "
            "service account with azure.workload.identity/client-id so the webhook injects them")
    authority = urlparse(environ["AZURE_AUTHORITY_HOST"].strip())
    if authority.scheme != "https" or not authority.netloc:
        raise SettingsError("AZURE_AUTHORITY_HOST is not an https URL, e.g. https://login.microsoftonline.com/")
    return {name: environ[name].strip() for name in IDENTITY_VARIABLES}


def one_line(error: BaseException) -> str:
    """The line of an SDK error that carries the service's AADSTS code, else the whole message on one line: SDK
    messages span lines (a credential chain lists every credential it tried, Entra appends trace ids)."""
    text = str(error)
    aadsts: Optional[re.Match] = _AADSTS.search(text)
    if aadsts:
        start = text.rfind("\n", 0, aadsts.start()) + 1
        end = text.find("\n", aadsts.start())
        line = text[start:] if end < 0 else text[start:end]
        return " ".join(line.split())
    return " ".join(text.split()) or type(error).__name__


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").strip().lower() == "true"
