import GRDB

/// The state store's tables, as migrations from the first version on.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE pair (
                        account TEXT NOT NULL,
                        policy TEXT NOT NULL,
                        first_seen INTEGER NOT NULL,
                        handled_through INTEGER NOT NULL,
                        opted_out INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (account, policy)
                    ) WITHOUT ROWID;
                    CREATE TABLE notice (
                        id INTEGER PRIMARY KEY,
                        account TEXT NOT NULL,
                        policy TEXT NOT NULL,
                        event TEXT NOT NULL,
                        date TEXT NOT NULL,
                        scheduled_at INTEGER NOT NULL,
                        issued_at INTEGER NOT NULL,
                        late INTEGER NOT NULL,
                        skipped INTEGER NOT NULL DEFAULT 0,
                        document TEXT,
                        UNIQUE (account, policy, event, date)
                    );
                    CREATE TABLE delivery (
                        notice_id INTEGER NOT NULL REFERENCES notice(id),
                        target TEXT NOT NULL,
                        delivered_at INTEGER,
                        given_up INTEGER NOT NULL DEFAULT 0,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt INTEGER NOT NULL,
                        last_error TEXT,
                        PRIMARY KEY (notice_id, target)
                    ) WITHOUT ROWID;
                    CREATE INDEX delivery_waiting ON delivery (next_attempt) WHERE delivered_at IS NULL AND given_up = 0;
                    CREATE TABLE acknowledgement (
                        id INTEGER PRIMARY KEY,
                        account TEXT NOT NULL,
                        policy TEXT NOT NULL,
                        action TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        note TEXT
                    );
                    """)
        }
        // Deliveries name their channel, so that each channel's outbox is read on its own
        // (one slow channel must not hold up another), and when they were last tried, so
        // that `status` can show the latest error.
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    ALTER TABLE delivery ADD COLUMN channel TEXT NOT NULL DEFAULT '';
                    ALTER TABLE delivery ADD COLUMN last_attempt INTEGER;
                    UPDATE delivery SET channel = substr(target, 1, instr(target || ':', ':') - 1);
                    CREATE INDEX delivery_channel_waiting ON delivery (channel, next_attempt)
                        WHERE delivered_at IS NULL AND given_up = 0;
                    """)
        }
        // Acknowledgements say how they were recorded, and may take an action back.
        migrator.registerMigration("v3") { db in
            try db.execute(
                sql: """
                    ALTER TABLE acknowledgement ADD COLUMN source TEXT NOT NULL DEFAULT 'cli';
                    ALTER TABLE acknowledgement ADD COLUMN undone INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        // A recipient's deliveries are read together (one message per person per round).
        migrator.registerMigration("v4") { db in
            try db.execute(
                sql: """
                    CREATE INDEX delivery_target_waiting ON delivery (target, next_attempt)
                        WHERE delivered_at IS NULL AND given_up = 0;
                    """)
        }
        // When the privacy team's summary last went out.
        migrator.registerMigration("v5") { db in
            try db.execute(sql: "CREATE TABLE summary_report (sent_at INTEGER NOT NULL)")
        }
        // What stands for an account's action is its latest record: found without a scan,
        // as each acknowledgement looks it up before it is written.
        migrator.registerMigration("v6") { db in
            try db.execute(sql: "CREATE INDEX acknowledgement_action ON acknowledgement (account, action, id)")
        }
        // A pair counts its overdue notices, so that a change of `overdue_every` neither
        // loses nor adds repeats; the pairs of an older store count what it recorded.
        migrator.registerMigration("v7") { db in
            try db.execute(
                sql: """
                    ALTER TABLE pair ADD COLUMN overdue_repeats INTEGER NOT NULL DEFAULT 0;
                    UPDATE pair SET overdue_repeats = (
                        SELECT count(*) FROM notice
                        WHERE notice.account = pair.account AND notice.policy = pair.policy AND notice.event = 'overdue');
                    """)
        }
        // An acknowledgement names the account's platform: action ids are shared across
        // platforms, and an account moved to another one has done nothing there yet.
        // Older records stay without it (see `Acknowledgement.isAbout`).
        migrator.registerMigration("v8") { db in
            try db.execute(sql: "ALTER TABLE acknowledgement ADD COLUMN platform TEXT")
        }
        return migrator
    }
}
