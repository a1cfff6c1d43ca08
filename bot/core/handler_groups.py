"""Handler groups, in the order PTB runs them for every update: the one place that sets it.

PTB runs at most one handler per group, groups in ascending order, so each concern gets a
group of its own (two handlers sharing a group would silently shadow each other). Guards come
first and may stop an update (ApplicationHandlerStop); passive observers come last, so
scoring a message can never delay or block a command.
"""

FORGET_ECHO = -110  # drop what arrives late about someone just forgotten (our removal too)
LINK_DRAFTS = -107  # a brand draft edited before its preview is out: note the new text (passive;
#                     before the edit guard, which stops every edit in a private chat)
EDIT_GUARD = -105  # an edited command (or private message) stops here: edits never re-run
TRACKING = -100  # remember who we saw, refresh the admin list; never stops an update
TOPIC_NOTES = -98  # forum topic service messages: note names and states; never stops one
GUARDS = -50  # reserved for guards that must run before flood control
FLOOD = -49  # flood control: mutes a member posting too fast, stops their message
GROUP_COMMANDS = -45  # members' commands in the group: answered there once a minute at most
MEMBERSHIP = -40  # joins, leaves, join requests, code entry (the seat ledger)
REFERRALS = -39  # after the ledger: who brought whom, referral bursts, a ban ends invites
COMMANDS = 0  # bot commands, buttons, private-chat conversations
FEEDBACK = 50  # votes, ratings, reactions, preview albums
OBSERVERS = 100  # sentiment ingest of member messages: the only handler here
NAME_WATCH = 110  # look-alike display names: after everything else, never delays anything
