"""Domain events of accounts, for the social side (a notification tells the person).

Sent once the change commits, with send_robust: a failing receiver never undoes the change.
"""

from django.dispatch import Signal

# user_id, export_id, url (the download address, valid for 7 days): a person's "download my
# data" ZIP is ready.
personal_data_export_ready = Signal()

# user_id: a person's public name (display name) or avatar changed; what shows them elsewhere
# (their friends' feeds) renders anew.
profile_changed = Signal()
