"""The store's password hasher: Argon2id, with costs measured on the machines it runs on.

Where a log-in's time went (2-core machine shared with other work, demo shopper, SQLite):
a log-in by email hashed the password twice. Django's ModelBackend found no user named
"x@y" and hashed the password anyway (so that a missing account takes as long as a wrong
password), then allauth's backend found the account by email and checked the password (since
then one backend checks each attempt once: shop.accounts.backends). With
PBKDF2 (Django's 1,000,000 iterations: 250 ms a hash when the machine is quiet) that was
0.5 s a log-in quiet and 1.4-2 s busy; everything but the hashing took under 50 ms quiet.

Medians of a log-in by email (two hashes), same process, same moments, machine quiet
(load 3) and busy (load 10-14):

    PBKDF2, 1,000,000 iterations (before)       0.5 s      1.8-2.3 s
    Django's Argon2 (100 MiB, 2 passes, 8 lanes)  0.3-0.5 s  1.7-2.9 s
    Argon2id 32 MiB, 2 passes, 1 lane           0.14-0.19 s  0.54-0.81 s
    Argon2id 19 MiB, 2 passes, 1 lane (these)   0.06 s     0.34-0.36 s

- memory_cost 19 MiB, time_cost 2, parallelism 1: the Argon2id configuration OWASP's Password
  Storage Cheat Sheet recommends, which it rates as strong as its PBKDF2-HMAC-SHA256 figure
  (600,000 iterations). Memory is what makes each guess expensive on GPUs and ASICs; 19 MiB
  a hash also keeps a worker logging many people in at once within its memory.
- One lane: the machines have two cores shared by every request; a second lane is a second
  thread fighting for them (Django's 8 lanes were slower than PBKDF2 when busy), and lanes do
  not raise an attacker's cost, which is memory times passes.
- 32 MiB was measured too: over 0.5 s a log-in when busy, where these costs stay near 0.3 s.

The algorithm keeps the name "argon2", so these are Django's Argon2 hashes: when the costs
change, must_update() sees the old ones in a stored hash and Django re-hashes the password at
the next log-in, as it does for a PBKDF2 hash (settings.PASSWORD_HASHERS lists PBKDF2 after
this hasher, so old passwords still verify and are upgraded).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class StoreArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
