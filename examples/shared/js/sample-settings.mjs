// What the JavaScript samples share with each other and with the C# samples' ExampleSettings: the settings read from
// the environment, the read loop and the one-line error. Only KEYVAULT_URL and SECRET_NAME are needed in a real
// cluster (the webhook injects the identity variables); the others exist for local runs and the sandbox.
// No npm imports here: Node resolves packages from the importing sample's folder, not from this one.
import { setTimeout as delay } from "node:timers/promises";

/** The webhook injects these four variables into every container of an opted-in pod. */
export const IDENTITY_VARIABLES = ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST"];

const VAULT_EXAMPLE = "e.g. https://myvault.vault.azure.net/";

/** A missing or malformed variable; the message is one line naming it and the fix. */
export class SettingsError extends Error {}

/** Reads the settings; throws SettingsError on a missing or malformed variable. */
export function settingsFromEnvironment(env = process.env) {
  const url = (env.KEYVAULT_URL ?? "").trim();
  if (!url) {
    throw new SettingsError(`KEYVAULT_URL environment variable not set: set it to the vault's URL, ${VAULT_EXAMPLE}`);
  }
  if (!isHttpsUrl(url)) {
    throw new SettingsError(`KEYVAULT_URL "${url}" is not an https URL: set it to the vault's URL, ${VAULT_EXAMPLE}`);
  }
  const secretName = (env.SECRET_NAME ?? "").trim();
  if (!secretName) {
    throw new SettingsError("SECRET_NAME environment variable not set: set it to the name of the secret to read");
  }
  const refresh = (env.SECRET_REFRESH_SECONDS ?? "").trim();
  if (refresh && !/^\d+$/.test(refresh)) {
    throw new SettingsError(`SECRET_REFRESH_SECONDS "${refresh}" is not a whole number of seconds (0 = read once and exit)`);
  }
  return {
    keyVaultUrl: url,
    secretName,
    refreshSeconds: refresh ? Number(refresh) : 60,
    disableInstanceDiscovery: flag(env, "AZURE_DISABLE_INSTANCE_DISCOVERY"),
    disableChallengeResourceVerification: flag(env, "KEYVAULT_DISABLE_CHALLENGE_RESOURCE_VERIFICATION"),
  };
}

/** The four injected variables, or a SettingsError naming the missing ones and how to get them. */
export function requireIdentityVariables(env = process.env) {
  const missing = IDENTITY_VARIABLES.filter((name) => !(env[name] ?? "").trim());
  if (missing.length > 0) {
    throw new SettingsError(
      `${missing.join(", ")} not set: label the pod azure.workload.identity/use="true" and annotate its ` +
        "service account with azure.workload.identity/client-id so the webhook injects them",
    );
  }
  if (!isHttpsUrl(env.AZURE_AUTHORITY_HOST.trim())) {
    throw new SettingsError("AZURE_AUTHORITY_HOST is not an https URL, e.g. https://login.microsoftonline.com/");
  }
  return Object.fromEntries(IDENTITY_VARIABLES.map((name) => [name, env[name].trim()]));
}

/**
 * A sample's whole run: reads the settings (and, with needsIdentity, the injected variables), lets start build the
 * secret reader from them, then reads the secret until stopped (SIGINT, SIGTERM). Resolves to the exit code: 2 for a
 * missing or malformed variable, 1 for a failed read.
 */
export async function main({ needsIdentity = false }, start) {
  let settings;
  let identity;
  try {
    settings = settingsFromEnvironment();
    identity = needsIdentity ? requireIdentityVariables() : undefined;
  } catch (error) {
    if (!(error instanceof SettingsError)) {
      throw error;
    }
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const stop = new AbortController();
  process.on("SIGINT", () => stop.abort());
  process.on("SIGTERM", () => stop.abort());
  return runSample(settings, start(settings, identity, stop.signal), { signal: stop.signal });
}

/** Reads the secret once, or every refreshSeconds until stopped; resolves to the exit code (1 on a failure). */
export async function runSample(settings, readSecret, { out = process.stdout, err = process.stderr, signal } = {}) {
  for (;;) {
    let value;
    try {
      value = await readSecret();
    } catch (error) {
      if (signal?.aborted) {
        return 0;
      }
      err.write(`failed to get secret "${settings.secretName}" from ${settings.keyVaultUrl}: ${oneLine(error)}\n`);
      return 1;
    }
    out.write(`successfully got secret, secret=${value}\n`);
    if (settings.refreshSeconds === 0) {
      return 0;
    }
    try {
      await delay(settings.refreshSeconds * 1000, undefined, { signal });
    } catch {
      return 0; // stopped
    }
  }
}

/**
 * The line of an SDK error that carries the service's AADSTS code, else the whole message on one line: SDK messages
 * span lines (a credential chain lists every credential it tried, Entra appends trace ids).
 */
export function oneLine(error) {
  const text = String(error?.message ?? error);
  const line = text.split(/\r?\n/).find((l) => /AADSTS\d+:/.test(l));
  return (line ?? text).replace(/\s+/g, " ").trim() || String(error?.name ?? "error");
}

function isHttpsUrl(value) {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

function flag(env, name) {
  return (env[name] ?? "").trim().toLowerCase() === "true";
}
