"""The session engine (settings.SESSION_ENGINE): Django's database sessions, read faster.

Sessions stay in the database table Django's `db` engine uses, written by it unchanged; only
the read every request makes runs a query compiled once (shop.accounts.session_reads), and
checking the signature of the data read is done once per process for each version of it.
"""

from django.contrib.sessions.backends import db

from shop.accounts.session_reads import session_data_get

# Session data (as stored: signed) whose signature this process has checked -> its content,
# serialized. The data is read from the database on every request all the same: a session
# changed or ended shows at once; only the HMAC of the same bytes is not computed again
# (~25 us a signed-in request). Bounded: emptied when full.
_VERIFIED_MAX = 4096
_verified: dict[str, bytes] = {}


class SessionStore(db.SessionStore):
    def load(self) -> dict:
        data = session_data_get(session_key=self.session_key)
        if data is None:
            # As db.SessionStore does for a missing or expired session: a new key on save.
            self._session_key = None
            return {}
        return self.decode(data)

    def decode(self, session_data: str) -> dict:
        """The session's content, as Django's decode reads it: a fresh dict each time (a
        request may change it in place), {} for data whose signature does not verify."""
        serializer = self.serializer()
        known = _verified.get(session_data)
        if known is not None:
            return serializer.loads(known)
        content = super().decode(session_data)
        if content:  # {}: tampered or corrupted (logged by Django), or empty; not remembered
            if len(_verified) >= _VERIFIED_MAX:
                _verified.clear()
            _verified[session_data] = serializer.dumps(content)
        return content
