#include "storage/migrations.h"

// Timestamps are integer milliseconds since the epoch (UTC) unless a column says otherwise.
const QList<Migration> &schemaMigrations()
{
    // The schema reads as a table: column comments are aligned by hand, so the formatter keeps off.
    // clang-format off
    static const QList<Migration> migrations = {
        {1, "sessions, messages, drafts, outbox, event ledger, audit log, settings, analysis",
         {
             QStringLiteral("CREATE TABLE sessions ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " session_key TEXT NOT NULL,"         // feishu_<chat_id>_<open_id> / feishu_p2p_<open_id>
                            " chat_id TEXT NOT NULL,"
                            " chat_type TEXT NOT NULL,"           // p2p, group, topic_group
                            " open_id TEXT NOT NULL,"
                            " user_name TEXT NOT NULL DEFAULT '',"
                            " mode TEXT NOT NULL DEFAULT 'auto',"  // auto, review, manual
                            " state TEXT NOT NULL DEFAULT 'active'," // active, ended
                            " needs_operator INTEGER NOT NULL DEFAULT 0,"
                            " created_at INTEGER NOT NULL,"
                            " last_active_at INTEGER NOT NULL,"
                            " ended_at INTEGER)"),
             QStringLiteral("CREATE INDEX sessions_key_state ON sessions(session_key, state)"),
             // At most one active session per key, even with two writers.
             QStringLiteral("CREATE UNIQUE INDEX sessions_one_active ON sessions(session_key) WHERE state = 'active'"),
             QStringLiteral("CREATE INDEX sessions_last_active ON sessions(last_active_at)"),
             QStringLiteral("CREATE TABLE messages ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
                            " role TEXT NOT NULL,"                 // customer, bot, operator, system
                            " content TEXT NOT NULL,"
                            " raw_content TEXT,"                   // inbound: the content JSON as received
                            " feishu_message_id TEXT,"
                            " knowledge_refs TEXT,"                // JSON [{"id":"KB-0001","score":1.2}]
                            " meta TEXT,"                          // JSON, free-form
                            " created_at INTEGER NOT NULL)"),
             QStringLiteral("CREATE INDEX messages_session ON messages(session_id, id)"),
             QStringLiteral("CREATE INDEX messages_feishu_id ON messages(feishu_message_id)"),
             // One stored customer turn per inbound Feishu message.
             QStringLiteral("CREATE UNIQUE INDEX messages_one_inbound ON messages(feishu_message_id)"
                            " WHERE role = 'customer' AND feishu_message_id IS NOT NULL"),
             QStringLiteral("CREATE TABLE drafts ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
                            " inbound_message_id INTEGER REFERENCES messages(id),"
                            " reply_to TEXT NOT NULL,"             // Feishu message id being answered
                            " bot_text TEXT NOT NULL,"
                            " knowledge_refs TEXT,"                // JSON, as in messages
                            " source TEXT,"                        // llm, knowledge, handoff, fixed
                            " escalate INTEGER NOT NULL DEFAULT 0,"
                            " final_text TEXT,"
                            " reply_turn_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,"
                            " state TEXT NOT NULL DEFAULT 'pending'," // pending, approved, edited, rejected
                            " decided_by TEXT,"
                            " created_at INTEGER NOT NULL,"
                            " decided_at INTEGER)"),
             QStringLiteral("CREATE INDEX drafts_state ON drafts(state)"),
             QStringLiteral("CREATE INDEX drafts_session ON drafts(session_id)"),
             QStringLiteral("CREATE TABLE outbox ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " uuid TEXT NOT NULL UNIQUE,"          // idempotency key sent to Feishu
                            " session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,"
                            " turn_id INTEGER REFERENCES messages(id) ON DELETE SET NULL," // the turn it delivers
                            " part_index INTEGER NOT NULL DEFAULT 0,"
                            " part_count INTEGER NOT NULL DEFAULT 1,"
                            " kind TEXT NOT NULL,"                 // reply, send
                            " target TEXT NOT NULL,"               // message id (reply) or receive id (send)
                            " receive_id_type TEXT,"
                            " msg_type TEXT NOT NULL DEFAULT 'text',"
                            " content TEXT NOT NULL,"              // the content JSON string
                            " state TEXT NOT NULL DEFAULT 'pending'," // pending, sent, failed
                            " attempts INTEGER NOT NULL DEFAULT 0,"
                            " next_attempt_at INTEGER NOT NULL DEFAULT 0,"
                            " last_error TEXT,"
                            " sent_message_id TEXT,"
                            " created_at INTEGER NOT NULL,"
                            " sent_at INTEGER)"),
             QStringLiteral("CREATE INDEX outbox_pending ON outbox(state, next_attempt_at)"),
             QStringLiteral("CREATE TABLE event_ledger ("
                            " key TEXT PRIMARY KEY,"               // IM message_id, or event_id for other events
                            " kind TEXT NOT NULL,"
                            " first_seen_at INTEGER NOT NULL,"
                            " outcome TEXT NOT NULL DEFAULT 'received'," // received (not decided yet), answered,
                                                                   // draft, manual, ignored, unreadable, prompted
                            " updated_at INTEGER NOT NULL DEFAULT 0)"),
             QStringLiteral("CREATE INDEX event_ledger_seen ON event_ledger(first_seen_at)"),
             QStringLiteral("CREATE INDEX event_ledger_outcome ON event_ledger(outcome)"),
             QStringLiteral("CREATE TABLE audit_log ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " at INTEGER NOT NULL,"
                            " actor TEXT NOT NULL,"
                            " action TEXT NOT NULL,"
                            " target TEXT,"
                            " detail TEXT)"),
             QStringLiteral("CREATE INDEX audit_log_at ON audit_log(at)"),
             QStringLiteral("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)"),
             QStringLiteral("CREATE TABLE analysis ("
                            " session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,"
                            " category TEXT, urgency TEXT, summary TEXT,"
                            " entities TEXT,"                      // JSON object
                            " next_step TEXT, source TEXT,"        // source: llm, rules
                            " updated_at INTEGER NOT NULL)"),
         }},
        {2, "knowledge base, versions, full-text index, embeddings",
         {
             // rid is the stable row id the full-text index refers to (a VACUUM may renumber
             // implicit rowids, never an INTEGER PRIMARY KEY).
             QStringLiteral("CREATE TABLE knowledge ("
                            " rid INTEGER PRIMARY KEY,"
                            " id TEXT NOT NULL UNIQUE,"
                            " title TEXT NOT NULL,"
                            " category TEXT NOT NULL DEFAULT '',"
                            " vehicle_models TEXT NOT NULL DEFAULT '[]'," // JSON array
                            " symptoms TEXT NOT NULL DEFAULT '[]',"       // JSON array
                            " cause TEXT NOT NULL DEFAULT '',"
                            " solution TEXT NOT NULL DEFAULT '',"
                            " tags TEXT NOT NULL DEFAULT '[]',"           // JSON array
                            " source TEXT NOT NULL DEFAULT 'imported',"   // imported, operator, promoted, bitable
                            " updated_at TEXT NOT NULL,"                  // ISO-8601
                            " version INTEGER NOT NULL DEFAULT 1)"),      // the latest knowledge_versions.version
             // One row per edit. changes: JSON {field: [old, new]}; {} for a create (the first
             // version is the current row with later changes undone); a delete keeps every old value.
             QStringLiteral("CREATE TABLE knowledge_versions ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " entry_id TEXT NOT NULL,"
                            " version INTEGER NOT NULL,"
                            " actor TEXT NOT NULL,"
                            " at INTEGER NOT NULL,"
                            " action TEXT NOT NULL,"              // create, update, delete
                            " changes TEXT NOT NULL,"
                            " UNIQUE(entry_id, version))"),
             QStringLiteral("CREATE TABLE knowledge_embeddings ("
                            " entry_id TEXT PRIMARY KEY REFERENCES knowledge(id) ON DELETE CASCADE,"
                            " model TEXT NOT NULL,"
                            " text_hash TEXT NOT NULL,"           // of model + embedded text: stale when it differs
                            " dims INTEGER NOT NULL,"
                            " vector BLOB NOT NULL)"),            // float32, little-endian
             // Contentless FTS5 over pre-segmented tokens (see Segmenter): words + CJK bigrams.
             // rowid = knowledge.rid. Deleting needs the old tokens, which Segmenter recomputes.
             QStringLiteral("CREATE VIRTUAL TABLE knowledge_fts USING fts5("
                            "title, symptoms, cause, tags, solution,"
                            " content='', tokenize='unicode61 remove_diacritics 0')"),
             QStringLiteral("CREATE VIRTUAL TABLE knowledge_fts_vocab USING fts5vocab(knowledge_fts, 'row')"),
             // In how many entries each CJK character occurs (IDF weights of the query coverage).
             QStringLiteral("CREATE TABLE knowledge_chardf (ch TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID"),
             // index_version (Segmenter::fingerprint of the index), generation (bumped by every write).
             QStringLiteral("CREATE TABLE knowledge_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID"),
         }},
        {3, "operator desk: list columns kept with every turn, vehicle keys, draft and entry metadata",
         {
             // Kept up to date by SessionManager::addTurn, so the console's list is one indexed
             // read of `sessions` (10,000 sessions, no per-row subqueries over `messages`).
             QStringLiteral("ALTER TABLE sessions ADD COLUMN chat_name TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE sessions ADD COLUMN last_preview TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE sessions ADD COLUMN last_role TEXT NOT NULL DEFAULT 'customer'"),
             QStringLiteral("ALTER TABLE sessions ADD COLUMN unread INTEGER NOT NULL DEFAULT 0"),
             // The oldest customer turn not answered yet (0: nothing waits). A hand-off reply does
             // not end the wait: the customer still waits for a person.
             QStringLiteral("ALTER TABLE sessions ADD COLUMN waiting_since INTEGER NOT NULL DEFAULT 0"),
             // From the analysis: earlier conversations of the same vehicle.
             QStringLiteral("ALTER TABLE sessions ADD COLUMN vin TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE sessions ADD COLUMN plate TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("CREATE INDEX sessions_vin ON sessions(vin) WHERE vin <> ''"),
             QStringLiteral("CREATE INDEX sessions_plate ON sessions(plate) WHERE plate <> ''"),
             QStringLiteral("CREATE INDEX sessions_attention ON sessions(needs_operator, last_active_at)"),
             QStringLiteral("CREATE INDEX drafts_session_state ON drafts(session_id, state)"),
             QStringLiteral("CREATE INDEX outbox_turn ON outbox(turn_id)"),
             // Drafts: the decision behind them (reason, lead, coverage), JSON.
             QStringLiteral("ALTER TABLE drafts ADD COLUMN meta TEXT"),
             // Knowledge: where a promoted entry came from ("session:<id>/turn:<id>").
             QStringLiteral("ALTER TABLE knowledge ADD COLUMN origin TEXT NOT NULL DEFAULT ''"),
             // Existing conversations: fill the list columns from their turns.
             QStringLiteral("UPDATE sessions SET"
                            " last_preview = COALESCE((SELECT substr(m.content, 1, 200) FROM messages m"
                            "   WHERE m.session_id = sessions.id ORDER BY m.id DESC LIMIT 1), ''),"
                            " last_role = COALESCE((SELECT m.role FROM messages m"
                            "   WHERE m.session_id = sessions.id ORDER BY m.id DESC LIMIT 1), 'customer')"),
             QStringLiteral("UPDATE sessions SET waiting_since = COALESCE((SELECT MIN(m.created_at) FROM messages m"
                            "   WHERE m.session_id = sessions.id AND m.role = 'customer' AND m.id > COALESCE("
                            "     (SELECT MAX(b.id) FROM messages b WHERE b.session_id = sessions.id"
                            "      AND b.role IN ('bot', 'operator')), 0)), 0)"),
         }},
        {4, "tickets, their conversations, Bitable sync state and cursor",
         {
             QStringLiteral("CREATE TABLE tickets ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " number TEXT UNIQUE,"                 // 工单编号: TK-000042, or the team's own
                            " record_id TEXT UNIQUE,"              // Bitable rec...; NULL until created there
                            " title TEXT NOT NULL DEFAULT '',"
                            " customer_open_id TEXT NOT NULL DEFAULT '',"
                            " customer_name TEXT NOT NULL DEFAULT '',"
                            " chat_id TEXT NOT NULL DEFAULT '',"
                            " vin TEXT NOT NULL DEFAULT '',"
                            " plate TEXT NOT NULL DEFAULT '',"
                            " vehicle_model TEXT NOT NULL DEFAULT '',"
                            " category TEXT NOT NULL DEFAULT '',"
                            " urgency TEXT NOT NULL DEFAULT '',"    // low, normal, high, critical (or as found)
                            " status TEXT NOT NULL DEFAULT 'new',"  // new, in_progress, waiting_customer, resolved, closed
                            " assignee TEXT NOT NULL DEFAULT '',"
                            " summary TEXT NOT NULL DEFAULT '',"
                            " resolution TEXT NOT NULL DEFAULT '',"
                            " knowledge_id TEXT NOT NULL DEFAULT ''," // the entry it came from or became
                            " origin TEXT NOT NULL DEFAULT 'operator'," // operator, escalation, bitable
                            " created_at INTEGER NOT NULL,"
                            " updated_at INTEGER NOT NULL,"
                            " remote_updated_at INTEGER NOT NULL DEFAULT 0)"), // Bitable last_modified_time
             QStringLiteral("CREATE INDEX tickets_status ON tickets(status, updated_at)"),
             QStringLiteral("CREATE TABLE ticket_sessions ("
                            " ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,"
                            " session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
                            " linked_at INTEGER NOT NULL,"
                            " PRIMARY KEY (ticket_id, session_id))"),
             QStringLiteral("CREATE INDEX ticket_sessions_session ON ticket_sessions(session_id)"),
             // base: the synced fields as both sides last agreed (JSON, TicketFields keys);
             // remote: Bitable's values while in conflict; client_token: the create in flight.
             QStringLiteral("CREATE TABLE ticket_sync ("
                            " ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,"
                            " state TEXT NOT NULL DEFAULT 'pending'," // synced, pending, conflict, error
                            " reason TEXT NOT NULL DEFAULT '',"
                            " base TEXT,"
                            " remote TEXT,"
                            " client_token TEXT,"
                            " updated_at INTEGER NOT NULL)"),
             QStringLiteral("CREATE INDEX ticket_sync_state ON ticket_sync(state)"),
             // How far the incremental pull got, per Bitable table (last_modified_time, ms).
             QStringLiteral("CREATE TABLE ticket_sync_cursor ("
                            " app_token TEXT NOT NULL,"
                            " table_id TEXT NOT NULL,"
                            " last_modified INTEGER NOT NULL DEFAULT 0,"
                            " last_sync_at INTEGER NOT NULL DEFAULT 0,"
                            " PRIMARY KEY (app_token, table_id))"),
         }},
        {5, "knowledge citations, indexes for the knowledge table and the dashboard",
         {
             // One row per knowledge entry a stored turn cited (messages.knowledge_refs), kept by
             // the trigger below for every writer of messages: the pipeline needs no change.
             // The editor's "cited in the last 7 days" counts these by (entry_id, cited_at).
             QStringLiteral("CREATE TABLE knowledge_citations ("
                            " message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
                            " entry_id TEXT NOT NULL,"
                            " cited_at INTEGER NOT NULL,"
                            " PRIMARY KEY(message_id, entry_id))"),
             QStringLiteral("CREATE INDEX knowledge_citations_entry ON knowledge_citations(entry_id, cited_at)"),
             QStringLiteral("CREATE TRIGGER messages_knowledge_citations AFTER INSERT ON messages"
                            " WHEN new.knowledge_refs IS NOT NULL AND json_valid(new.knowledge_refs)"
                            " BEGIN"
                            " INSERT OR IGNORE INTO knowledge_citations(message_id, entry_id, cited_at)"
                            " SELECT new.id, json_extract(value, '$.id'), new.created_at"
                            " FROM json_each(new.knowledge_refs)"
                            " WHERE json_type(value, '$.id') = 'text';"
                            " END"),
             QStringLiteral("INSERT OR IGNORE INTO knowledge_citations(message_id, entry_id, cited_at)"
                            " SELECT m.id, json_extract(j.value, '$.id'), m.created_at"
                            " FROM messages m, json_each(m.knowledge_refs) j"
                            " WHERE m.knowledge_refs IS NOT NULL AND json_valid(m.knowledge_refs)"
                            " AND json_type(j.value, '$.id') = 'text'"),
             // The editor's category filter pages by (category, id).
             QStringLiteral("CREATE INDEX knowledge_category ON knowledge(category, id)"),
             // The dashboard's aggregates select by time.
             QStringLiteral("CREATE INDEX messages_created ON messages(created_at)"),
             QStringLiteral("CREATE INDEX sessions_created ON sessions(created_at)"),
             QStringLiteral("CREATE INDEX drafts_created ON drafts(created_at)"),
         }},
        {6, "full-text index over turn content (the console's text filter), outbox by session",
         {
             // Trigram tokens match any substring of 3+ characters, Chinese included (no word
             // segmentation needed), case-insensitively. The index keeps no copy of the text
             // (content='messages'); the triggers keep it in step with every writer of messages.
             // Queries shorter than 3 characters cannot use it and scan messages instead.
             QStringLiteral("CREATE VIRTUAL TABLE messages_fts USING fts5("
                            "content, content='messages', content_rowid='id', tokenize='trigram')"),
             QStringLiteral("CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN"
                            " INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);"
                            " END"),
             QStringLiteral("CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN"
                            " INSERT INTO messages_fts(messages_fts, rowid, content)"
                            " VALUES ('delete', old.id, old.content);"
                            " END"),
             QStringLiteral("CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN"
                            " INSERT INTO messages_fts(messages_fts, rowid, content)"
                            " VALUES ('delete', old.id, old.content);"
                            " INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);"
                            " END"),
             // Existing turns.
             QStringLiteral("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')"),
             // Opening a conversation reads its delivery rows (Outbox::items): by session, not a scan.
             QStringLiteral("CREATE INDEX outbox_session ON outbox(session_id, turn_id)"),
         }},
    };
    // clang-format on
    return migrations;
}
