"""The clinic's signing identity: the key and certificate that certify every consent PDF.

It lives in the data folder's ``signing`` folder:

``identity.pem``   the private key (PKCS#8, encrypted), then the signer's certificate and
                   any chain certificates from the clinic's CA
``identity.pass``  (older folders only) the key's passphrase, readable by its owner only
``retired/``       certificates of earlier identities, so the consents they certified
                   still verify after the identity is replaced

Glabella certifies unattended at every finalize, so nobody is there to type a passphrase.
The key is encrypted with a subkey of the clinic key (``for_purpose("signing-key")``, the
``secret`` below), which the operating system's credential store holds, never the data
folder: a copy of the folder cannot certify as the clinic. Folders from before kept the
passphrase beside the key in ``identity.pass``; the first load with the secret re-encrypts
the key with it and wipes that file. (Without a secret, as in tools and older tests, the
passphrase file is still used.) A clinic that needs more replaces the identity with a
PKCS#12 issued by its own CA (which can revoke it; see :func:`import_pkcs12`).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app.base.errors import KnownError
from app.base.private_files import private_folder

IDENTITY_FILE = "identity.pem"
PASSPHRASE_FILE = "identity.pass"
RETIRED_DIR = "retired"
VALIDITY = timedelta(days=3652)  # about ten years, the life of a consent record
# Certificates start a little in the past: a workstation clock a few minutes slow must
# not make a fresh certificate "not yet valid".
BACKDATE = timedelta(hours=1)
# Marks a certificate Glabella made itself, so it may reissue it when the clinic is renamed
# (an imported certificate from the clinic's CA is never replaced behind its back).
SELF_MADE_UNIT = "Glabella consent certification"
CN_LIMIT = 64  # X.509 upper bound for a common name or organization, in bytes
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----\r?\n?", re.S)


class IdentityError(KnownError):
    """The signing identity cannot be read, made or replaced; the message says why."""


class EventLog(Protocol):
    """Where identity changes are recorded (the records store's audit log)."""

    def log_event(self, event: str, *, details: Mapping[str, Any] | None = None) -> str: ...


@dataclass(frozen=True)
class SigningIdentity:
    key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)

    @property
    def common_name(self) -> str:
        return common_name(self.certificate)

    @property
    def self_made(self) -> bool:
        units = self.certificate.subject.get_attributes_for_oid(
            NameOID.ORGANIZATIONAL_UNIT_NAME)
        return (self.certificate.issuer == self.certificate.subject
                and any(u.value == SELF_MADE_UNIT for u in units))


def fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def describe(identity: SigningIdentity) -> list[tuple[str, str]]:
    """What ``glabella signing show`` prints, as (label, value) pairs."""
    cert = identity.certificate
    rows = [
        ("Subject", cert.subject.rfc4514_string()),
        ("Issuer", cert.issuer.rfc4514_string()),
        ("Valid from", f"{cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC"),
        ("Valid until", f"{cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"),
        ("SHA-256 fingerprint", _colons(identity.fingerprint)),
        ("Made by", "Glabella (self-signed)" if identity.self_made else "imported (PKCS#12)"),
    ]
    rows += [("Chain", c.subject.rfc4514_string()) for c in identity.chain]
    return rows


def _colons(hex_digest: str) -> str:
    return ":".join(hex_digest[i:i + 2] for i in range(0, len(hex_digest), 2)).upper()


# -- reading ----------------------------------------------------------------------------

def load_identity(folder: Path, secret: bytes | None = None) -> SigningIdentity | None:
    """The identity stored in ``folder`` (its key encrypted with ``secret``, or an older
    folder's passphrase file, which is then migrated); None when there is none yet."""
    path = folder / IDENTITY_FILE
    if not path.exists():
        return None
    legacy = secret is None or (folder / PASSPHRASE_FILE).exists()
    identity = _load(folder, path, secret if secret is not None and not legacy
                     else _read_passphrase(folder))
    if secret is not None and legacy:
        _save(folder, identity, replaced=None, secret=secret)  # re-encrypted with the secret
        _wipe(folder / PASSPHRASE_FILE)
    return identity


def _wipe(path: Path) -> None:
    """Overwrite, then remove: the old passphrase must not linger on the disk."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.write(b"\0" * size)
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()


def _load(folder: Path, path: Path, passphrase: bytes) -> SigningIdentity:
    try:
        blocks = _pem_blocks(path.read_bytes())
        keys = [b for kind, b in blocks if kind == b"ENCRYPTED PRIVATE KEY"]
        certs = [x509.load_pem_x509_certificate(b) for kind, b in blocks
                 if kind == b"CERTIFICATE"]
        if len(keys) != 1 or not certs:
            raise IdentityError(f"{path} does not hold one key and its certificate.")
        key = serialization.load_pem_private_key(keys[0], passphrase)
    except (OSError, ValueError, TypeError) as exc:
        raise IdentityError(f"The signing identity in {folder} cannot be read ({exc}).") from exc
    identity = SigningIdentity(key, certs[0], tuple(certs[1:]))
    _check_pair(identity)
    return identity


def _pem_blocks(data: bytes) -> list[tuple[bytes, bytes]]:
    return [(m.group(1), m.group(0)) for m in _PEM_BLOCK.finditer(data)]


def _read_passphrase(folder: Path) -> bytes:
    path = folder / PASSPHRASE_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        raise IdentityError(f"The signing key's passphrase file {path} is missing.") from None


def trusted_certificates(folder: Path) -> list[x509.Certificate]:
    """Certificates a consent from this clinic may be certified with: the current one,
    its CA chain, and every retired one."""
    found: dict[str, x509.Certificate] = {}
    identity_file = folder / IDENTITY_FILE
    sources = [identity_file] if identity_file.exists() else []
    retired = folder / RETIRED_DIR
    if retired.is_dir():
        sources += sorted(retired.glob("*.pem"))
    for source in sources:
        for kind, block in _pem_blocks(source.read_bytes()):
            if kind == b"CERTIFICATE":
                cert = x509.load_pem_x509_certificate(block)
                found.setdefault(fingerprint(cert), cert)
    return list(found.values())


# -- making and replacing ---------------------------------------------------------------

def ensure_identity(folder: Path, clinic_name: str, log: EventLog,
                    secret: bytes | None = None) -> SigningIdentity:
    """The identity to certify with, made on first use.

    A certificate Glabella made itself is reissued when the clinic's name changed, so the
    certificate always names the clinic; an imported one is kept as it is.
    """
    current = load_identity(folder, secret)
    if current is not None and (not current.self_made
                                or current.common_name == _cn(clinic_name)):
        return current
    key = ec.generate_private_key(ec.SECP256R1())
    identity = SigningIdentity(key, self_signed_certificate(key, clinic_name))
    _save(folder, identity, replaced=current, secret=secret)
    details = {"subject": identity.certificate.subject.rfc4514_string(),
               "fingerprint": identity.fingerprint, "source": "self-signed"}
    if current is None:
        log.log_event("signing.identity_created", details=details)
    else:
        log.log_event("signing.identity_replaced",
                      details={**details, "reason": "clinic name changed",
                               "previous_fingerprint": current.fingerprint})
    return identity


def _cn(clinic_name: str) -> str:
    """The clinic's name as a certificate can hold it: one line, at most 64 bytes of UTF-8
    (the X.509 bound counts encoded bytes), cut at a character boundary."""
    name = " ".join(clinic_name.split()) or "Glabella clinic"
    return name.encode("utf-8")[:CN_LIMIT].decode("utf-8", errors="ignore").rstrip()


def self_signed_certificate(key: ec.EllipticCurvePrivateKey, clinic_name: str,
                            now: datetime | None = None) -> x509.Certificate:
    """A ten-year certificate naming the clinic, for signing (not for a CA or TLS)."""
    now = now or datetime.now(UTC)
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, _cn(clinic_name)),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _cn(clinic_name)),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, SELF_MADE_UNIT),
    ])
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE).not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def import_pkcs12(folder: Path, p12_path: Path, password: bytes | None,
                  log: EventLog, now: datetime | None = None,
                  secret: bytes | None = None) -> SigningIdentity:
    """Replace the identity with a PKCS#12 (key, certificate, chain) from the clinic's CA."""
    try:
        data = p12_path.read_bytes()
    except OSError as exc:
        raise IdentityError(f"{p12_path} cannot be read ({exc.strerror or exc}).") from exc
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password)
    except ValueError as exc:
        raise IdentityError(f"{p12_path} cannot be opened: the password is wrong or it is "
                            f"not a PKCS#12 file.") from exc
    if key is None or cert is None:
        raise IdentityError(f"{p12_path} must hold a private key and its certificate.")
    identity = SigningIdentity(key, cert, tuple(extra))
    _check_pair(identity)
    _check_usable(cert, now or datetime.now(UTC))
    current = load_identity(folder, secret)
    _save(folder, identity, replaced=current, secret=secret)
    log.log_event("signing.identity_replaced" if current else "signing.identity_created",
                  details={"subject": cert.subject.rfc4514_string(),
                           "issuer": cert.issuer.rfc4514_string(),
                           "fingerprint": identity.fingerprint, "source": "pkcs12",
                           "previous_fingerprint": current.fingerprint if current else None})
    return identity


def _check_pair(identity: SigningIdentity) -> None:
    mine = identity.key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    theirs = identity.certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if mine != theirs:
        raise IdentityError("The private key does not belong to the certificate.")


def _check_usable(cert: x509.Certificate, now: datetime) -> None:
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise IdentityError(f"The certificate is valid only from "
                            f"{cert.not_valid_before_utc:%Y-%m-%d} to "
                            f"{cert.not_valid_after_utc:%Y-%m-%d}.")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise IdentityError("The certificate is not allowed to sign documents "
                            "(its key usage lacks digitalSignature and nonRepudiation).")


def _save(folder: Path, identity: SigningIdentity, replaced: SigningIdentity | None,
          secret: bytes | None = None) -> None:
    """Write the identity; the old certificate is kept first so its consents still verify."""
    folder.mkdir(parents=True, exist_ok=True)
    _restrict(folder, 0o700)
    if replaced is not None:
        retired = folder / RETIRED_DIR
        private_folder(retired)  # 0700 like the signing folder, whatever the umask
        pem = b"".join(c.public_bytes(serialization.Encoding.PEM)
                       for c in (replaced.certificate, *replaced.chain))
        _write_atomic(retired / f"{replaced.fingerprint}.pem", pem)
    passphrase_path = folder / PASSPHRASE_FILE
    if secret is not None:
        passphrase = secret
    elif passphrase_path.exists():
        passphrase = _read_passphrase(folder)
    else:
        passphrase = secrets.token_urlsafe(32).encode("ascii")
        _write_atomic(passphrase_path, passphrase + b"\n")
    key_pem = identity.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase))
    certs = b"".join(c.public_bytes(serialization.Encoding.PEM)
                     for c in (identity.certificate, *identity.chain))
    # one file, replaced in one step: a key and a certificate can never come apart
    _write_atomic(folder / IDENTITY_FILE, key_pem + certs)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write owner-only (0600) to a temporary file, then rename it over ``path``."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _restrict(path: Path, mode: int) -> None:
    try:
        path.chmod(mode)
    except OSError:
        pass  # e.g. a file system without POSIX permissions; the file is still written
