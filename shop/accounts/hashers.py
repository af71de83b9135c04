"""The store's password hasher: Argon2id, with costs measured on the machines it runs on.

Where a log-in's time went (2-core machine shared with other work, demo shopper, SQLite):
a log-in by email hashes the password twice. Django's ModelBackend finds no user named
"x@y" and hashes the password anyway (so that a missing account takes as long as a wrong
password), then allauth's backend finds the account by email and checks the password. With
PBKDF2 (1,000,000 iterations, 250 ms a hash) that was 0.5 s a log-in, 1.4 s when the machine
was busy; everything but the hashing took under 50 ms.

Django's own Argon2PasswordHasher (100 MiB, 2 passes, 8 lanes) took 130 ms a hash idle and
210-250 ms busy: 0.3-0.5 s a log-in. Medians measured for a log-in by email (two hashes):

    time_cost 2, 19 MiB, 1 lane      60 ms
    time_cost 2, 32 MiB, 1 lane     140-190 ms   <- these costs
    time_cost 2, 46 MiB, 1 lane     195 ms
    time_cost 2, 64 MiB, 2 lanes    160 ms idle, 530 ms busy

- memory_cost 32 MiB: memory is what makes Argon2 expensive on GPUs and ASICs; this is 1.7
  times the 19 MiB of the configuration OWASP's Password Storage Cheat Sheet recommends for
  Argon2id (19 MiB, 2 passes, 1 lane), and keeps a busy machine's log-in under 0.3 s. A
  worker logging in four people at once needs 128 MiB for those moments.
- time_cost 2: two passes over that memory, as in OWASP's configuration.
- parallelism 1: the machines have two cores shared by every request; a second lane is a
  second thread fighting for them (the 64 MiB, 2-lane row above tripled when busy), and
  lanes do not raise an attacker's cost, which is memory times passes.

The algorithm keeps the name "argon2", so these are Django's Argon2 hashes: when the costs
change, must_update() sees the old ones in a stored hash and Django re-hashes the password at
the next log-in, as it does for a PBKDF2 hash (settings.PASSWORD_HASHERS lists PBKDF2 after
this hasher, so old passwords still verify and are upgraded).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class StoreArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 32 * 1024  # KiB
    parallelism = 1
