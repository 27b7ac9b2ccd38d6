/**
 * Numbered, append-only migrations. Never edit one that has shipped: add the next number.
 * `PRAGMA user_version` records the highest applied; all pending ones run in one transaction.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Rebuilds a table (SQLite's way to change a CHECK): runs with foreign keys off, checked before commit. */
  rebuildsTables?: boolean;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: /* sql */ `
      CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        color TEXT NOT NULL,
        timezone TEXT NOT NULL,
        -- publish overdue posts if at most this late, otherwise ask the user
        late_grace_minutes INTEGER NOT NULL DEFAULT 30 CHECK (late_grace_minutes >= 0),
        strip_location INTEGER NOT NULL DEFAULT 1 CHECK (strip_location IN (0, 1)),
        archived_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX projects_name_key ON projects (name_key);

      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        network TEXT NOT NULL CHECK (network IN (
          'telegram', 'mastodon', 'bluesky', 'vk', 'linkedin', 'x', 'discord',
          'facebook', 'instagram', 'threads', 'pinterest')),
        handle TEXT NOT NULL,
        display_name TEXT NOT NULL DEFAULT '',
        -- the keychain entry holding this account's secret; the secret itself never lives here
        secret_ref TEXT,
        status TEXT NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'reconnect_needed', 'disconnected')),
        config TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX accounts_project ON accounts (project_id);

      CREATE TABLE posts (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        body TEXT NOT NULL DEFAULT '',
        first_comment TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        labels TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'published', 'failed', 'needs_attention')),
        -- the instant in UTC milliseconds; the project's zone says how to show it
        scheduled_at INTEGER,
        timezone TEXT NOT NULL,
        recurrence TEXT,
        auto_delete_after_ms INTEGER CHECK (auto_delete_after_ms IS NULL OR auto_delete_after_ms > 0),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX posts_project_scheduled ON posts (project_id, scheduled_at);
      CREATE INDEX posts_scheduled ON posts (scheduled_at);

      CREATE TABLE media (
        id TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        mime TEXT NOT NULL,
        bytes INTEGER NOT NULL CHECK (bytes >= 0),
        width INTEGER,
        height INTEGER,
        duration_ms INTEGER,
        file_name TEXT NOT NULL DEFAULT '',
        alt_text TEXT NOT NULL DEFAULT '',
        design TEXT,
        parent_media_id TEXT REFERENCES media (id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE post_media (
        post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        media_id TEXT NOT NULL REFERENCES media (id) ON DELETE RESTRICT,
        position INTEGER NOT NULL,
        PRIMARY KEY (post_id, position)
      ) STRICT;
      CREATE INDEX post_media_media ON post_media (media_id);

      CREATE TABLE post_targets (
        id TEXT PRIMARY KEY,
        post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        body_override TEXT,
        media_override TEXT,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN (
          'pending', 'scheduled', 'native_scheduled', 'publishing', 'published', 'failed', 'needs_attention', 'deleted')),
        remote_id TEXT,
        remote_url TEXT,
        native_schedule_id TEXT,
        published_at INTEGER,
        delete_at INTEGER,
        last_error TEXT,
        UNIQUE (post_id, account_id)
      ) STRICT;
      CREATE INDEX post_targets_account ON post_targets (account_id);

      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('publish', 'delete', 'first_comment', 'native_schedule', 'native_cancel')),
        target_id TEXT NOT NULL REFERENCES post_targets (id) ON DELETE CASCADE,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed', 'needs_attention', 'held', 'cancelled')),
        due_at INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_until INTEGER,
        idempotency_key TEXT NOT NULL UNIQUE,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      -- the scheduler's one hot query: the next pending job
      CREATE INDEX jobs_next_due ON jobs (next_attempt_at) WHERE state = 'pending';
      CREATE INDEX jobs_target ON jobs (target_id);

      CREATE TABLE job_log (
        id INTEGER PRIMARY KEY,
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        event TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      CREATE INDEX job_log_job ON job_log (job_id, at);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'media library order',
    sql: /* sql */ `
      -- the library lists newest first; this keeps that an index walk as the library grows
      CREATE INDEX media_created ON media (created_at DESC, id);
    `,
  },
  {
    version: 3,
    name: 'accounts: remote identity, server, status reason, posting defaults',
    sql: /* sql */ `
      -- the network's own id for the account (Telegram chat id, Mastodon account@server, Bluesky DID):
      -- connecting the same one to a project again renews it instead of making a twin
      ALTER TABLE accounts ADD COLUMN remote_key TEXT;
      -- the server the user chose (Mastodon instance, Bluesky PDS); NULL = the network's one API
      ALTER TABLE accounts ADD COLUMN base_url TEXT;
      -- the channel's or profile's public page
      ALTER TABLE accounts ADD COLUMN profile_url TEXT;
      -- the network's words for why the account needs reconnecting
      ALTER TABLE accounts ADD COLUMN status_reason TEXT;
      ALTER TABLE accounts ADD COLUMN defaults TEXT NOT NULL DEFAULT '{}';
      CREATE UNIQUE INDEX accounts_project_remote ON accounts (project_id, network, remote_key);
    `,
  },
  {
    version: 4,
    name: 'post revisions, hashtag sets and snippets',
    sql: /* sql */ `
      -- every change bumps it; an update based on an older revision is refused, never merged
      ALTER TABLE posts ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);
      -- the composer's drafts list: one project's posts of some statuses, most recently changed first
      CREATE INDEX posts_project_status_updated ON posts (project_id, status, updated_at);

      CREATE TABLE hashtag_sets (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        -- JSON array of tags without the #
        tags TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX hashtag_sets_project ON hashtag_sets (project_id);

      CREATE TABLE snippets (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX snippets_project ON snippets (project_id);
    `,
  },
  {
    version: 5,
    name: 'scheduler: stop reasons, verify-first, lease and budget indexes, one live job per target',
    sql: /* sql */ `
      -- why a job stopped (missed, unknown_outcome, validation, auth…): a code the UI turns into words;
      -- the network's own message stays in last_error
      ALTER TABLE jobs ADD COLUMN reason TEXT;
      -- an attempt's answer was lost: ask the network (connector.verify) before sending anything again
      ALTER TABLE jobs ADD COLUMN verify_first INTEGER NOT NULL DEFAULT 0 CHECK (verify_first IN (0, 1));
      -- leases left behind by a crash are found without reading every job
      CREATE INDEX jobs_running ON jobs (lease_until) WHERE state = 'running';
      -- the "needs attention" list
      CREATE INDEX jobs_attention ON jobs (updated_at) WHERE state = 'needs_attention';
      -- a target never has two live jobs of one kind: a second publish job could post it twice
      CREATE UNIQUE INDEX jobs_live_per_target ON jobs (target_id, kind)
        WHERE state IN ('pending', 'running', 'held', 'needs_attention');
      -- recent sends, to refill each account's send budget after a restart
      CREATE INDEX job_log_attempts ON job_log (at) WHERE event = 'attempt';
    `,
  },
  {
    version: 6,
    name: 'image editor templates',
    sql: /* sql */ `
      -- a saved design whose photo and marked text and logo layers are replaced when applied
      CREATE TABLE design_templates (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        -- versioned design JSON; older versions are migrated when read
        design TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      -- the editor lists templates most recently changed first
      CREATE INDEX design_templates_updated ON design_templates (updated_at DESC, id);
    `,
  },
  {
    version: 7,
    name: 'calendar: approval, repeating series, queue slots and spacing, evergreen pool',
    sql: /* sql */ `
      -- the client's approval, set in the app and shown on the calendar and in the approval pack
      ALTER TABLE posts ADD COLUMN approval TEXT NOT NULL DEFAULT 'draft' CHECK (approval IN ('draft', 'in_review', 'approved'));
      -- a copy made by a repeating post names the post it repeats; posts.recurrence holds the rule
      ALTER TABLE posts ADD COLUMN series_id TEXT REFERENCES posts (id) ON DELETE SET NULL;
      CREATE INDEX posts_series ON posts (series_id) WHERE series_id IS NOT NULL;

      -- weekly queue slots per account, a wall time in the project's zone
      CREATE TABLE time_slots (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        minute INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 1439),
        PRIMARY KEY (account_id, weekday, minute)
      ) STRICT;
      -- the smallest gap between two posts of one account, so a queue spreads posts out
      CREATE TABLE queue_settings (
        account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
        min_spacing_minutes INTEGER NOT NULL DEFAULT 0 CHECK (min_spacing_minutes BETWEEN 0 AND 10080)
      ) STRICT;

      -- posts a project re-queues in turn; last_queued_at is when the latest copy goes out
      CREATE TABLE evergreen_posts (
        post_id TEXT PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        last_queued_at INTEGER,
        added_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX evergreen_posts_project ON evergreen_posts (project_id, position);
      CREATE TABLE evergreen_settings (
        project_id TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
        min_interval_days INTEGER NOT NULL DEFAULT 30 CHECK (min_interval_days BETWEEN 1 AND 3650)
      ) STRICT;
    `,
  },
  {
    version: 8,
    name: 'scheduler: the run holding a job',
    sql: /* sql */ `
      -- the run (process start) that claimed a running job: only it may record the job's result
      ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
    `,
  },
  {
    version: 9,
    name: "publishing: the network's own words apart from ours",
    sql: /* sql */ `
      -- last_error may be Outpost's explanation; network_said holds only what the network itself said, so the UI
      -- never puts our words in its mouth. Older rows cannot tell, so they stay NULL (shown as ours).
      ALTER TABLE jobs ADD COLUMN network_said TEXT;
      ALTER TABLE post_targets ADD COLUMN network_said TEXT;
    `,
  },
  {
    version: 10,
    name: 'accounts: OK (Odnoklassniki) groups',
    rebuildsTables: true,
    sql: /* sql */ `
      -- the network CHECK gains 'ok'; SQLite changes a CHECK only by rebuilding the table (sqlite.org/lang_altertable.html#otheralter)
      CREATE TABLE accounts_new (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        network TEXT NOT NULL CHECK (network IN (
          'telegram', 'mastodon', 'bluesky', 'vk', 'ok', 'linkedin', 'x', 'discord',
          'facebook', 'instagram', 'threads', 'pinterest')),
        handle TEXT NOT NULL,
        display_name TEXT NOT NULL DEFAULT '',
        secret_ref TEXT,
        status TEXT NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'reconnect_needed', 'disconnected')),
        config TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        remote_key TEXT,
        base_url TEXT,
        profile_url TEXT,
        status_reason TEXT,
        defaults TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      INSERT INTO accounts_new (id, project_id, network, handle, display_name, secret_ref, status, config, created_at, updated_at,
                                remote_key, base_url, profile_url, status_reason, defaults)
        SELECT id, project_id, network, handle, display_name, secret_ref, status, config, created_at, updated_at,
               remote_key, base_url, profile_url, status_reason, defaults FROM accounts;
      DROP TABLE accounts;
      ALTER TABLE accounts_new RENAME TO accounts;
      CREATE INDEX accounts_project ON accounts (project_id);
      CREATE UNIQUE INDEX accounts_project_remote ON accounts (project_id, network, remote_key);
    `,
  },
  {
    version: 11,
    name: "scheduler: a network's challenge (VK captcha) waiting for the user's answer",
    sql: /* sql */ `
      -- the challenge that stopped the job (JSON: kind, id, image address, refused call), kept while it waits for the user
      ALTER TABLE jobs ADD COLUMN challenge TEXT;
      -- the user's answer, taken and cleared by the next attempt: one answer is used for one attempt only
      ALTER TABLE jobs ADD COLUMN challenge_answer TEXT;
    `,
  },
  {
    version: 12,
    name: 'posts: per-network options (VK: signed, ad mark, source, comments closed)',
    sql: /* sql */ `
      -- JSON keyed by network ({"vk": {...}}), each network validated by the posts contract; '{}': every account's defaults
      ALTER TABLE posts ADD COLUMN network_options TEXT NOT NULL DEFAULT '{}';
    `,
  },
  {
    version: 13,
    name: 'calendar: queue slots for the whole project',
    sql: /* sql */ `
      -- weekly slots every account of the project uses unless it has slots of its own (time_slots)
      CREATE TABLE project_time_slots (
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        minute INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 1439),
        PRIMARY KEY (project_id, weekday, minute)
      ) STRICT;
      -- the spacing that goes with the project's slots
      CREATE TABLE project_queue_settings (
        project_id TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
        min_spacing_minutes INTEGER NOT NULL DEFAULT 0 CHECK (min_spacing_minutes BETWEEN 0 AND 10080)
      ) STRICT;
    `,
  },
  {
    version: 14,
    name: 'media: each project its own library, and a shared one',
    sql: /* sql */ `
      -- the project whose library holds the file; NULL is the shared library, offered to every project.
      -- A project that goes leaves its files to the shared library: nothing the user made is deleted.
      ALTER TABLE media ADD COLUMN project_id TEXT REFERENCES projects (id) ON DELETE SET NULL;
      CREATE INDEX media_project ON media (project_id);
      -- Files in use by the posts of exactly one project (on the post or a network's own list) join that
      -- project; files used by several projects or by none stay shared.
      WITH uses (media_id, project_id) AS (
        SELECT pm.media_id, p.project_id FROM post_media pm JOIN posts p ON p.id = pm.post_id
        UNION
        SELECT j.value, p.project_id
        FROM post_targets t JOIN posts p ON p.id = t.post_id,
             json_each(CASE WHEN json_valid(t.media_override) THEN t.media_override ELSE '[]' END) j
        WHERE t.media_override IS NOT NULL AND j.type = 'text'
      ),
      owners (media_id, project_id) AS (
        SELECT media_id, min(project_id) FROM uses GROUP BY media_id HAVING count(DISTINCT project_id) = 1
      )
      UPDATE media SET project_id = owners.project_id FROM owners WHERE owners.media_id = media.id;
    `,
  },
  {
    version: 15,
    name: 'media relay: where each project puts the files Instagram and Threads fetch',
    sql: /* sql */ `
      -- No row: no relay. The bucket's settings stay while another kind is chosen; its secret key is in the keychain under s3_secret_ref.
      CREATE TABLE project_relays (
        project_id TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('none', 'page', 's3')),
        s3_endpoint TEXT,
        s3_region TEXT,
        s3_bucket TEXT,
        s3_path_style INTEGER NOT NULL DEFAULT 0 CHECK (s3_path_style IN (0, 1)),
        s3_access_key_id TEXT,
        s3_secret_ref TEXT,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 16,
    name: 'results: the public numbers of published posts over time',
    sql: /* sql */ `
      -- one reading of a published post; NULL where its network does not give that number
      CREATE TABLE metric_samples (
        target_id TEXT NOT NULL REFERENCES post_targets (id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        likes INTEGER,
        reposts INTEGER,
        replies INTEGER,
        quotes INTEGER,
        views INTEGER,
        saves INTEGER,
        PRIMARY KEY (target_id, at)
      ) STRICT, WITHOUT ROWID;
      -- when each published post is read next; next_at NULL: reading is over (a month old, gone, or failing for days)
      CREATE TABLE metric_schedule (
        target_id TEXT PRIMARY KEY REFERENCES post_targets (id) ON DELETE CASCADE,
        next_at INTEGER,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      ) STRICT;
      CREATE INDEX metric_schedule_due ON metric_schedule (next_at) WHERE next_at IS NOT NULL;
      -- the poller's look-back over the last month's published posts
      CREATE INDEX post_targets_published ON post_targets (published_at) WHERE state = 'published';
    `,
  },
  {
    version: 17,
    name: 'projects: the language the client reads',
    sql: /* sql */ `
      -- the approval pack and the monthly report are written in it; NULL follows the app's language
      ALTER TABLE projects ADD COLUMN client_language TEXT CHECK (client_language IN ('en', 'ru', 'he'));
    `,
  },
  {
    version: 18,
    name: 'results: each published post\'s latest reading kept beside its samples, and indexes to sum them',
    sql: /* sql */ `
      -- the newest row of metric_samples per post: a summary of 10,000 posts reads one row each instead of searching for it
      CREATE TABLE metric_latest (
        target_id TEXT PRIMARY KEY REFERENCES post_targets (id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        likes INTEGER,
        reposts INTEGER,
        replies INTEGER,
        quotes INTEGER,
        views INTEGER,
        saves INTEGER
      ) STRICT, WITHOUT ROWID;
      -- kept by triggers, so every writer of samples (the poller, a seed, an import) keeps it right; a sample older than the latest leaves it be
      CREATE TRIGGER metric_samples_latest_insert AFTER INSERT ON metric_samples BEGIN
        INSERT INTO metric_latest (target_id, at, likes, reposts, replies, quotes, views, saves)
        VALUES (new.target_id, new.at, new.likes, new.reposts, new.replies, new.quotes, new.views, new.saves)
        ON CONFLICT (target_id) DO UPDATE SET at = excluded.at, likes = excluded.likes, reposts = excluded.reposts, replies = excluded.replies,
          quotes = excluded.quotes, views = excluded.views, saves = excluded.saves
        WHERE excluded.at >= metric_latest.at;
      END;
      -- a sample rewritten or removed (rare: a reading taken twice at one instant, a post deleted) is looked up again
      CREATE TRIGGER metric_samples_latest_update AFTER UPDATE ON metric_samples BEGIN
        DELETE FROM metric_latest WHERE target_id IN (old.target_id, new.target_id);
        INSERT INTO metric_latest (target_id, at, likes, reposts, replies, quotes, views, saves)
        SELECT target_id, max(at), likes, reposts, replies, quotes, views, saves FROM metric_samples WHERE target_id IN (old.target_id, new.target_id) GROUP BY target_id;
      END;
      -- (a post deleted takes its samples and latest reading with it: nothing to look up again)
      CREATE TRIGGER metric_samples_latest_delete AFTER DELETE ON metric_samples
      WHEN EXISTS (SELECT 1 FROM post_targets WHERE id = old.target_id) BEGIN
        DELETE FROM metric_latest WHERE target_id = old.target_id;
        INSERT INTO metric_latest (target_id, at, likes, reposts, replies, quotes, views, saves)
        SELECT target_id, max(at), likes, reposts, replies, quotes, views, saves FROM metric_samples WHERE target_id = old.target_id GROUP BY target_id;
      END;
      -- the results query walks a project's posts to their published targets inside these two indexes, never visiting either table
      CREATE INDEX posts_project_results ON posts (project_id, id, labels);
      CREATE INDEX post_targets_post_results ON post_targets (post_id, state, published_at, account_id, id);
      -- SQLite takes the bare columns beside max() from the row that holds it: each post's newest sample
      INSERT INTO metric_latest (target_id, at, likes, reposts, replies, quotes, views, saves)
      SELECT target_id, max(at), likes, reposts, replies, quotes, views, saves FROM metric_samples GROUP BY target_id;
    `,
  },
  {
    version: 19,
    name: 'link cards: what a post\'s link shows, kept for offline previews',
    sql: /* sql */ `
      -- one card per post, for the link in its text; the picture a small JPEG, so previews need no network
      CREATE TABLE post_link_cards (
        post_id TEXT PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        site_name TEXT NOT NULL,
        image BLOB,
        -- the user changed the words: a new fetch of the same link keeps them
        edited INTEGER NOT NULL DEFAULT 0 CHECK (edited IN (0, 1)),
        -- the user removed the card: the post goes out without one
        dropped INTEGER NOT NULL DEFAULT 0 CHECK (dropped IN (0, 1)),
        above INTEGER NOT NULL DEFAULT 0 CHECK (above IN (0, 1)),
        large INTEGER NOT NULL DEFAULT 1 CHECK (large IN (0, 1)),
        fetched_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 20,
    name: 'jobs: a thread\'s parts after the first, each its own job',
    rebuildsTables: true,
    sql: /* sql */ `
      -- the kind CHECK gains 'thread_part' (SQLite changes a CHECK only by rebuilding the table);
      -- part: which part of the post's thread the job sends (2 is the first reply), null for other kinds
      CREATE TABLE jobs_new (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('publish', 'delete', 'first_comment', 'native_schedule', 'native_cancel', 'thread_part')),
        target_id TEXT NOT NULL REFERENCES post_targets (id) ON DELETE CASCADE,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed', 'needs_attention', 'held', 'cancelled')),
        due_at INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_until INTEGER,
        idempotency_key TEXT NOT NULL UNIQUE,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        reason TEXT,
        verify_first INTEGER NOT NULL DEFAULT 0 CHECK (verify_first IN (0, 1)),
        lease_owner TEXT,
        network_said TEXT,
        challenge TEXT,
        challenge_answer TEXT,
        part INTEGER CHECK (part IS NULL OR part >= 2)
      ) STRICT;
      INSERT INTO jobs_new (id, kind, target_id, state, due_at, next_attempt_at, attempts, lease_until, idempotency_key, last_error, created_at, updated_at,
                            reason, verify_first, lease_owner, network_said, challenge, challenge_answer)
        SELECT id, kind, target_id, state, due_at, next_attempt_at, attempts, lease_until, idempotency_key, last_error, created_at, updated_at,
               reason, verify_first, lease_owner, network_said, challenge, challenge_answer FROM jobs;
      DROP TABLE jobs;
      ALTER TABLE jobs_new RENAME TO jobs;
      CREATE INDEX jobs_next_due ON jobs (next_attempt_at) WHERE state = 'pending';
      CREATE INDEX jobs_target ON jobs (target_id);
      CREATE INDEX jobs_running ON jobs (lease_until) WHERE state = 'running';
      CREATE INDEX jobs_attention ON jobs (updated_at) WHERE state = 'needs_attention';
      -- one live job per target and kind: a thread's parts go one at a time, each queued when the one before is out
      CREATE UNIQUE INDEX jobs_live_per_target ON jobs (target_id, kind)
        WHERE state IN ('pending', 'running', 'held', 'needs_attention');
      -- each part of a target's thread is sent by one job that succeeds, however often it is resumed
      CREATE UNIQUE INDEX jobs_part_done ON jobs (target_id, part) WHERE kind = 'thread_part' AND state = 'done';
    `,
  },
  {
    version: 21,
    name: 'accounts: YouTube, and networks planned before their account exists',
    rebuildsTables: true,
    sql: /* sql */ `
      -- the network CHECK gains 'youtube' and the status CHECK 'planned' (a network the project will post to,
      -- no account connected yet: drafts get its counters and previews); SQLite changes a CHECK only by rebuilding
      CREATE TABLE accounts_new (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        network TEXT NOT NULL CHECK (network IN (
          'telegram', 'mastodon', 'bluesky', 'vk', 'ok', 'linkedin', 'x', 'discord',
          'facebook', 'instagram', 'threads', 'pinterest', 'youtube')),
        handle TEXT NOT NULL,
        display_name TEXT NOT NULL DEFAULT '',
        secret_ref TEXT,
        status TEXT NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'reconnect_needed', 'disconnected', 'planned')),
        config TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        remote_key TEXT,
        base_url TEXT,
        profile_url TEXT,
        status_reason TEXT,
        defaults TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      INSERT INTO accounts_new (id, project_id, network, handle, display_name, secret_ref, status, config, created_at, updated_at,
                                remote_key, base_url, profile_url, status_reason, defaults)
        SELECT id, project_id, network, handle, display_name, secret_ref, status, config, created_at, updated_at,
               remote_key, base_url, profile_url, status_reason, defaults FROM accounts;
      DROP TABLE accounts;
      ALTER TABLE accounts_new RENAME TO accounts;
      CREATE INDEX accounts_project ON accounts (project_id);
      -- a planned network's remote_key is 'planned': one per network and project
      CREATE UNIQUE INDEX accounts_project_remote ON accounts (project_id, network, remote_key);
    `,
  },
];
