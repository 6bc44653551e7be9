"""An azure-core credential backed by an MSAL for Python confidential client whose client assertion is the projected
service-account token."""

import time

import msal
import requests
from azure.core.credentials import AccessToken
from azure.core.exceptions import ClientAuthenticationError


class MsalAssertionCredential:
    """Gets app-only tokens with MSAL. The assertion is read from the token file on every exchange: the kubelet
    rotates it, so a token read once at start-up stops working after its lifetime."""

    def __init__(self, client_id: str, tenant_id: str, authority_host: str, token_file: str,
                 disable_instance_discovery: bool) -> None:
        self._client_id = client_id
        self._authority = authority_host.rstrip("/") + "/" + tenant_id
        self._token_file = token_file
        # MSAL asks login.microsoftonline.com to validate an authority it does not know; off only when configured.
        self._instance_discovery = False if disable_instance_discovery else None
        self._application = None

    def get_token(self, *scopes: str, claims=None, **_) -> AccessToken:
        application = self._app()
        try:
            # acquire_token_for_client does not look in MSAL's cache before version 1.23; asking silently first does.
            result = application.acquire_token_silent(list(scopes), account=None) \
                or application.acquire_token_for_client(list(scopes), claims_challenge=claims)
        except requests.RequestException as error:
            raise ClientAuthenticationError(message=f"cannot reach {self._authority}: {error}") from error
        if "access_token" not in result:
            description = (result.get("error_description") or "").splitlines()
            raise ClientAuthenticationError(
                message=f"token exchange failed: {result.get('error')}: {description[0] if description else ''}")
        return AccessToken(result["access_token"], int(time.time()) + int(result["expires_in"]))

    def _app(self) -> msal.ConfidentialClientApplication:
        # Built on first use: the constructor fetches the authority's metadata, and a failure belongs to the exchange.
        if self._application is None:
            try:
                self._application = msal.ConfidentialClientApplication(
                    self._client_id,
                    client_credential={"client_assertion": self._read_assertion},
                    authority=self._authority,
                    instance_discovery=self._instance_discovery,
                )
            except (ValueError, requests.RequestException) as error:
                raise ClientAuthenticationError(
                    message=f"cannot use the authority {self._authority}: {error}") from error
        return self._application

    def _read_assertion(self) -> str:
        try:
            with open(self._token_file, encoding="utf-8") as token:
                return token.read().strip()
        except OSError as error:
            raise ClientAuthenticationError(
                message=f"cannot read AZURE_FEDERATED_TOKEN_FILE {self._token_file}: {error.strerror}") from error

    def close(self) -> None:
        """Nothing to release; SecretClient calls it when closed."""
