"""The session engine (settings.SESSION_ENGINE): Django's database sessions, read faster.

Sessions are kept as Django's `db` engine keeps them, in shop.accounts.models.Session: its
table, plus the id of the person each signs in, written from the data on every save. The read
every request makes is one query compiled once (shop.accounts.session_reads) that brings the
session's data and its person's row together; the authentication backends take that row
instead of reading it again (shop.accounts.middleware). Checking the signature of the data
read is done once per process for each version of it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db

from shop.accounts.models import Session, User
from shop.accounts.session_reads import session_read, user_id_parse

# Session data (as stored: signed) whose signature this process has checked -> its content,
# serialized. The data is read from the database on every request all the same: a session
# changed or ended shows at once; only the HMAC of the same bytes is not computed again
# (~25 us a signed-in request). Bounded: emptied when full.
_VERIFIED_MAX = 4096
_verified: dict[str, bytes] = {}

# What a store says of a person whose row it did not read (see SessionStore.user_read).
NOT_READ = object()

# The session whose person is being authenticated, while shop.accounts.middleware does it.
_authenticating: ContextVar["SessionStore | None"] = ContextVar("authenticating", default=None)


class SessionStore(db.SessionStore):
    # The person's row read with the data: (their id, the User or None when they are gone).
    _user_row: tuple[int, User | None] | None = None
    # Whether the read brings the person's header badges along (a page that shows the header:
    # shop.accounts.middleware says so per request; shop.accounts.session_reads).
    badges_wanted: bool = False

    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def create_model_instance(self, data: dict) -> Session:
        instance = super().create_model_instance(data)
        instance.user_id = user_id_parse(data.get(SESSION_KEY))
        return instance

    async def acreate_model_instance(self, data: dict) -> Session:
        instance = await super().acreate_model_instance(data)
        instance.user_id = user_id_parse(data.get(SESSION_KEY))
        return instance

    def load(self) -> dict:
        self._user_row = None
        read = session_read(session_key=self.session_key, badges=self.badges_wanted)
        if read is None:
            # As db.SessionStore does for a missing or expired session: a new key on save.
            self._session_key = None
            return {}
        data, user_id, user = read
        if user_id is not None:
            self._user_row = (user_id, user)
        return self.decode(data)

    def user_read(self, user_id: object) -> User | None | object:
        """The row of person `user_id` as this session's read brought it (None: no such
        person), or NOT_READ when the read brought no row for that id."""
        row = self._user_row
        if row is None or row[0] != user_id_parse(user_id):
            return NOT_READ
        return row[1]

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


@contextmanager
def authenticating(session: object):
    """While authenticating the holder of SESSION, the backends may take the row its read
    brought (`session_user`)."""
    token = _authenticating.set(session if isinstance(session, SessionStore) else None)
    try:
        yield
    finally:
        _authenticating.reset(token)


def session_user(user_id: object) -> User | None | object:
    """The row of `user_id` read with the session being authenticated, else NOT_READ."""
    session = _authenticating.get()
    return NOT_READ if session is None else session.user_read(user_id)
