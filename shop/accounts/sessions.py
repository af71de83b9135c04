"""The session engine (settings.SESSION_ENGINE): Django's database sessions, read faster.

Sessions stay in the database table Django's `db` engine uses, written by it unchanged; only
the read every request makes runs a query compiled once (shop.accounts.session_reads).
"""

from django.contrib.sessions.backends import db

from shop.accounts.session_reads import session_data_get


class SessionStore(db.SessionStore):
    def load(self) -> dict:
        data = session_data_get(session_key=self.session_key)
        if data is None:
            # As db.SessionStore does for a missing or expired session: a new key on save.
            self._session_key = None
            return {}
        return self.decode(data)
