"""Handler groups, in the order PTB runs them for every update.

PTB runs at most one handler per group, groups in ascending order, so each concern gets a
group of its own. Guards come first and may stop an update (ApplicationHandlerStop); passive
observers come last, so scoring a message can never delay or block a command.
"""

TRACKING = -100  # remember who we saw, refresh the admin list; never stops an update
GUARDS = -50  # flood control and the strict gate: may stop the update here
MEMBERSHIP = -40  # joins, leaves, join requests (the seat ledger)
COMMANDS = 0  # bot commands, buttons, private-chat conversations
FEEDBACK = 50  # votes, ratings, reactions
OBSERVERS = 100  # sentiment ingest of member messages: always last
