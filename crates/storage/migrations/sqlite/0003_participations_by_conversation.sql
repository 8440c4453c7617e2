-- Every lookup of one conversation's participations starts from its id: who
-- may read it (R15), the spread of a new message to every participant's
-- view, the read position, the audience of its realtime events. The partial
-- index participations_via could not serve those lookups, because a query
-- for every source of a conversation does not imply `via_inbox IS NOT
-- NULL`: each one scanned the whole table, and with a million conversations
-- a posted message took seconds. Covering every row lets it serve them all.
--
-- Uniqueness is unchanged: NULLs are distinct in a UNIQUE index, so direct
-- participations were never constrained by this index and still are not;
-- participations_direct keeps doing that.
DROP INDEX participations_via;
CREATE UNIQUE INDEX participations_via ON participations (conversation_id, user_id, via_inbox);
