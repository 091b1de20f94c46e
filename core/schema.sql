-- schema.sql - the perfkit database, schema version 3.
-- Applied by core/db.c (PRAGMA user_version = 3), which migrates versions 1 and 2.
-- Times are UTC microseconds since 1970-01-01 (INTEGER); the views show them as ISO-8601 text.  A missing
-- value is NULL, never 0.  Metric columns are the registry's names
-- (core/metrics.c) with '.' replaced by '_'.

-- Every file (or archive member) perfingest has read, and how far.
CREATE TABLE source_file (
	id          INTEGER PRIMARY KEY,
	path        TEXT NOT NULL,              -- absolute path
	member      TEXT NOT NULL DEFAULT '',   -- path inside an archive, '' for a plain file
	format      TEXT NOT NULL,              -- reader that read it: 'hw_jsonl'
	device      INTEGER,                    -- st_dev when last read
	inode       INTEGER,                    -- st_ino when last read
	size        INTEGER NOT NULL,           -- size when last read
	mtime_ns    INTEGER NOT NULL,           -- modification time when last read
	head_hash   INTEGER NOT NULL,           -- FNV-1a of the first 4 KiB
	tail_hash   INTEGER NOT NULL,           -- FNV-1a of the 4 KiB before read_offset
	read_offset INTEGER NOT NULL,           -- bytes consumed (complete lines only)
	read_lines  INTEGER NOT NULL,           -- lines consumed
	first_read  INTEGER NOT NULL,           -- time of the first ingest (us)
	last_read   INTEGER NOT NULL,           -- time of the latest ingest (us)
	UNIQUE (path, member)
);

-- A machine or configuration whose hardware is sampled.
CREATE TABLE profile (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

-- One hardware sample (format F1), identified by (profile, time).
CREATE TABLE hw_sample (
	profile_id  INTEGER NOT NULL REFERENCES profile(id),
	ts_us       INTEGER NOT NULL,
	source_id   INTEGER NOT NULL REFERENCES source_file(id),
	line        INTEGER NOT NULL,           -- 1-based line in the source
	cpu_percent_total                             REAL,
	cpu_frequency_current_mhz                     REAL,
	cpu_load_average_1min                         REAL,
	memory_used_gb                                REAL,
	memory_available_gb                           REAL,
	memory_percent                                REAL,
	memory_swap_used_gb                           REAL,
	memory_swap_percent                           REAL,
	gpu_utilization_percent                       REAL,
	gpu_memory_utilization_percent                REAL,
	gpu_memory_used_mb                            REAL,
	gpu_memory_free_mb                            REAL,
	gpu_temperature_celsius                       REAL,
	gpu_power_draw_watts                          REAL,
	thermal_max_temp                              REAL,
	processes_total_processes                     REAL,
	processes_python_processes                    REAL,
	processes_whisper_processes                   REAL,
	processes_python_memory_total_percent         REAL,
	processes_python_cpu_total_percent            REAL,
	processes_python_threads_total                REAL,
	inference_timing_wake_word_latency_ms_mean    REAL,
	inference_timing_wake_word_latency_ms_min     REAL,
	inference_timing_wake_word_latency_ms_max     REAL,
	inference_timing_wake_word_latency_ms_count   REAL,
	cpu_percent_per_core TEXT,              -- JSON array, one value per logical core
	thermal_sensors      TEXT,              -- JSON array of sensor objects
	unavailable          TEXT,              -- JSON object: section -> reason it has no values
	extra                TEXT,              -- JSON object: fields perfkit does not know
	PRIMARY KEY (profile_id, ts_us)
) WITHOUT ROWID;

-- The same samples by column, for fast scans: one row per (profile, UTC
-- day) with the times and each metric's values packed as little-endian
-- int64 / IEEE doubles (NaN = missing), metrics in registry order.  Derived
-- from hw_sample by perfingest; a day changed by any other means (the
-- triggers below) is marked dirty and read from hw_sample until perfingest
-- rebuilds it.  A rowid table with separate key indexes (not WITHOUT ROWID):
-- a key lookup in a WITHOUT ROWID table reads the whole ~200 KB row of every
-- entry it compares, so counting a profile's samples read the whole table.
CREATE TABLE hw_chunk (
	id         INTEGER PRIMARY KEY,
	profile_id INTEGER NOT NULL,
	day        INTEGER NOT NULL,            -- ts_us / 86400000000
	n          INTEGER NOT NULL,            -- samples in the chunk
	nmetrics   INTEGER NOT NULL,            -- metrics per sample
	ts         BLOB NOT NULL,               -- n int64, ascending
	vals       BLOB NOT NULL,               -- nmetrics x n doubles, metric-major
	UNIQUE (profile_id, day)
);
-- covers a profile's count (sum of n) without reading a chunk's row, whose
-- first ~16 KB sit in the table's leaf page
CREATE INDEX hw_chunk_n ON hw_chunk (profile_id, day, n);

CREATE TABLE hw_chunk_dirty (
	profile_id INTEGER NOT NULL,
	day        INTEGER NOT NULL,
	PRIMARY KEY (profile_id, day)
) WITHOUT ROWID;

-- perfingest holds a row here inside its transactions: it keeps hw_chunk
-- up to date itself, so its own inserts need no dirty mark.
CREATE TABLE chunk_writer (
	pid INTEGER
);

CREATE TRIGGER hw_sample_insert AFTER INSERT ON hw_sample
WHEN NOT EXISTS (SELECT 1 FROM chunk_writer) BEGIN
	INSERT OR IGNORE INTO hw_chunk_dirty VALUES (new.profile_id, new.ts_us / 86400000000);
END;
CREATE TRIGGER hw_sample_delete AFTER DELETE ON hw_sample BEGIN
	INSERT OR IGNORE INTO hw_chunk_dirty VALUES (old.profile_id, old.ts_us / 86400000000);
END;
CREATE TRIGGER hw_sample_update AFTER UPDATE ON hw_sample BEGIN
	INSERT OR IGNORE INTO hw_chunk_dirty VALUES (old.profile_id, old.ts_us / 86400000000);
	INSERT OR IGNORE INTO hw_chunk_dirty VALUES (new.profile_id, new.ts_us / 86400000000);
END;

-- Input that could not be read, with its reason and the raw bytes.
CREATE TABLE reject (
	id        INTEGER PRIMARY KEY,
	source_id INTEGER NOT NULL REFERENCES source_file(id),
	line      INTEGER NOT NULL,
	col       INTEGER,                      -- byte column, 1-based, when known
	reason    TEXT NOT NULL,
	raw       BLOB,                         -- the line as read (first 64 KiB)
	raw_size  INTEGER NOT NULL,             -- full length of the line in bytes
	UNIQUE (source_id, line)
);

-- A record that arrived again (its identity, e.g. a wake-word event's
-- (ts, session_id, word, variant), was stored already) with a field the
-- stored record lacked, now filled from it (kind 'completed'), or with a
-- field of another value, the stored one kept (kind 'conflicting').  One
-- row per field; records equal to the stored one are plain duplicates.
-- Written by perfingest (core/store_merge.c); schema version 3.
CREATE TABLE record_merge (
	table_name       TEXT NOT NULL,       -- the stored record's table: 'wake_event'
	column_name      TEXT NOT NULL,       -- the field: 'latency_ms'
	kind             TEXT NOT NULL,       -- 'completed' or 'conflicting'
	stored_value,                         -- the value kept ('conflicting'); NULL for 'completed'
	new_value,                            -- the value of the record that arrived again
	stored_source_id INTEGER NOT NULL,    -- where the stored record came from
	stored_line      INTEGER NOT NULL,
	source_id        INTEGER NOT NULL,    -- where the record that arrived again came from
	line             INTEGER NOT NULL
);

CREATE VIEW record_merges AS
SELECT m.kind, m.table_name, m.column_name, m.stored_value, m.new_value,
	f.path AS source_path, f.member AS source_member, m.line,
	g.path AS stored_path, g.member AS stored_member, m.stored_line
FROM record_merge m JOIN source_file f ON f.id = m.source_id
LEFT JOIN source_file g ON g.id = m.stored_source_id;

-- ---------------------------------------------------------------------------
-- The other formats (F2-F10).  Every table ends with source_id and line
-- (provenance); natural keys make re-ingest idempotent; `extra` keeps fields
-- perfkit does not know, as JSON.  Profiles and hosts are named by text;
-- profile_alias maps one name to another everywhere a profile is named.

-- perfingest --alias DETECTED=CONFIGURED: the sampler's detected name (or a
-- sysstat/nvidia-smi host) is the configured profile's machine.
CREATE TABLE profile_alias (
	alias   TEXT PRIMARY KEY,
	profile TEXT NOT NULL
);

-- F2 config/hardware_profiles.json: each distinct version of the file, so
-- the database keeps what the registry said before (and when it changed).
CREATE TABLE registry_version (
	id        INTEGER PRIMARY KEY,
	sha       TEXT NOT NULL UNIQUE,         -- FNV-1a of the document, hex
	read_us   INTEGER NOT NULL,             -- when perfingest first saw it
	document  TEXT NOT NULL,                -- the file as read
	source_id INTEGER NOT NULL, line INTEGER NOT NULL
);
CREATE TABLE registry_profile (
	name TEXT PRIMARY KEY, description TEXT,
	gpu_name TEXT, gpu_memory_gb REAL, gpu_compute_capability TEXT, gpu_tier TEXT,
	cpu_model TEXT, cpu_cores_physical INTEGER, cpu_cores_logical INTEGER,
	memory_total_gb REAL, form_factor TEXT, use_case TEXT, active INTEGER,
	limitations TEXT, optimizations TEXT, extra TEXT,   -- JSON
	source_id INTEGER NOT NULL, line INTEGER NOT NULL
);
CREATE TABLE registry_target (
	profile TEXT NOT NULL, metric TEXT NOT NULL,
	target REAL, bound_key TEXT,          -- acceptable_max | acceptable_min | critical_threshold
	bound REAL, description TEXT, extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (profile, metric)
);
CREATE TABLE registry_tier (
	tier TEXT PRIMARY KEY, whisper_device TEXT, whisper_model TEXT, llm_device TEXT,
	llm_max_params_b REAL, concurrent_agents INTEGER, extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL
);
CREATE TABLE detected_system (
	name TEXT PRIMARY KEY, created_us INTEGER,
	os TEXT, os_version TEXT, os_release TEXT, architecture TEXT, hostname TEXT,
	python_version TEXT, gpu_available INTEGER, gpu_name TEXT, gpu_driver_version TEXT,
	gpu_memory_total_mb REAL, gpu_compute_capability TEXT, gpu_power_limit_watts REAL,
	cpu_logical_cores INTEGER, cpu_physical_cores INTEGER, cpu_max_frequency_mhz REAL,
	cpu_min_frequency_mhz REAL, memory_total_gb REAL, extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL
);

-- F3 logs/agent_metrics.csv: one agent run.
CREATE TABLE agent_run (
	ts_us INTEGER NOT NULL,               -- iso_ts: end of the run
	run_dir TEXT NOT NULL DEFAULT '',
	tes REAL, stability REAL, velocity REAL, footprint REAL, duration_s REAL,
	status TEXT, applied INTEGER, changed_files INTEGER, run_tests INTEGER,
	autonomy_mode TEXT, model_id TEXT, hint TEXT,
	compliance REAL, ethics REAL, coherence REAL, tes_v3 REAL, tes_schema INTEGER,
	extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (ts_us, run_dir)
);

-- F4 logs/wake_word_audit.csv: one wake-word decision.
CREATE TABLE wake_event (
	ts_us INTEGER NOT NULL, session_id TEXT NOT NULL DEFAULT '',
	source TEXT, word TEXT NOT NULL DEFAULT '', variant TEXT NOT NULL DEFAULT '',
	phonetic REAL, lev REAL, decoder REAL, fused REAL, decision TEXT,
	latency_ms REAL, extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (ts_us, session_id, word, variant)
);

-- F5 logs/profiles/<name>.json: an LLM experiment, its cycles and timings.
CREATE TABLE experiment (
	experiment_id TEXT PRIMARY KEY, name TEXT, mode TEXT,
	start_us INTEGER, end_us INTEGER, total_duration_s REAL,
	platform TEXT, processor TEXT, cpu_count INTEGER, cpu_count_logical INTEGER,
	total_memory_gb REAL, is_jetson INTEGER, system_info TEXT,   -- JSON, all of it
	total_cycles INTEGER, total_llm_time REAL, total_db_time REAL, total_tokens INTEGER,
	avg_tokens_per_second REAL, peak_memory_mb REAL, avg_memory_mb REAL,
	recommendations TEXT,                 -- JSON array, as written
	extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL
);
CREATE TABLE experiment_cycle (
	experiment_id TEXT NOT NULL, cycle_number INTEGER NOT NULL,
	duration REAL, crashed INTEGER, crash_reason TEXT,
	llm_inference_count INTEGER, llm_total_time REAL, llm_tokens_generated INTEGER,
	llm_tokens_per_second REAL, db_queries INTEGER, db_total_time REAL,
	mem_peak_mb REAL, mem_snapshots TEXT,  -- JSON
	gpu_utilization_percent REAL, gpu_temperature_c REAL, extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (experiment_id, cycle_number)
) WITHOUT ROWID;
CREATE TABLE experiment_timing (
	experiment_id TEXT NOT NULL, cycle_number INTEGER NOT NULL, seq INTEGER NOT NULL,
	name TEXT, duration REAL, metadata TEXT,   -- JSON
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (experiment_id, cycle_number, seq)
) WITHOUT ROWID;
CREATE TABLE experiment_bottleneck (
	experiment_id TEXT NOT NULL, seq INTEGER NOT NULL,
	type TEXT, severity TEXT, description TEXT,
	percentage_of_cycle REAL, avg_time_seconds REAL, extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (experiment_id, seq)
);

-- F6 perf/samples/<session_id>.json: an app session profile.
CREATE TABLE session (
	session_id TEXT PRIMARY KEY, export_us INTEGER, profiler_state TEXT,
	total_samples INTEGER, sampling_duration REAL,
	cpu_avg REAL, cpu_max REAL, memory_avg REAL, memory_max REAL,
	io_wait_avg REAL, io_wait_max REAL, ocr_calls_per_minute REAL,
	frames_per_minute REAL, sample_count INTEGER,
	statistics TEXT, performance_summary TEXT, extra TEXT,   -- JSON
	source_id INTEGER NOT NULL, line INTEGER NOT NULL
);
CREATE TABLE session_module (
	session_id TEXT NOT NULL, module TEXT NOT NULL,
	call_count INTEGER, total_execution_time REAL, avg_execution_time REAL,
	max_execution_time REAL, min_execution_time REAL,
	cpu_impact REAL, memory_impact REAL, last_called_us INTEGER,
	recommendations TEXT, extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (session_id, module)
);
CREATE TABLE session_sample (
	session_id TEXT NOT NULL, ts_us INTEGER NOT NULL,
	sample TEXT NOT NULL,                 -- JSON: the sample as written (gc_stats ...)
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (session_id, ts_us)
);

-- F7 benchmarks: hyperfine --export-json and perfkit's own benchmark JSON.
-- A run is suite, time, host and digest: a hyperfine run's digest is the
-- FNV-1a 64 of its document (16 hex digits), so two files with the same
-- suite and time but other results are two runs and the same file read
-- again is the same run; perfkit's documents name their run ('').
CREATE TABLE bench_run (
	suite TEXT NOT NULL, run_us INTEGER NOT NULL, host TEXT NOT NULL DEFAULT '',
	digest TEXT NOT NULL DEFAULT '',
	revision TEXT, tool TEXT NOT NULL,    -- 'hyperfine' | 'perfkit'
	extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (suite, run_us, host, digest)
);
CREATE TABLE bench_result (
	suite TEXT NOT NULL, run_us INTEGER NOT NULL, host TEXT NOT NULL DEFAULT '',
	digest TEXT NOT NULL DEFAULT '',
	name TEXT NOT NULL, unit TEXT, direction TEXT,   -- 'lower' | 'higher'
	mean REAL, stddev REAL, median REAL, min REAL, max REAL,
	user_s REAL, system_s REAL, n INTEGER, extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (suite, run_us, host, name, digest)
);
CREATE TABLE bench_value (
	suite TEXT NOT NULL, run_us INTEGER NOT NULL, host TEXT NOT NULL DEFAULT '',
	digest TEXT NOT NULL DEFAULT '',
	name TEXT NOT NULL, seq INTEGER NOT NULL, value REAL, exit_code INTEGER,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (suite, run_us, host, name, seq, digest)
) WITHOUT ROWID;

-- F8 perfingest --format generic --source NAME: timestamped records.
-- generic_record is the source of truth and the SQL surface (json_extract
-- on record); every number of a record is a metric named by its dotted
-- path (arrays: path.INDEX).  generic_metric lists the paths of each source;
-- generic_chunk holds each metric's values by UTC hour, packed as hw_chunk
-- (n little-endian int64 times ascending, n doubles, NaN = missing): the
-- times of the hour's records that have a number at that path.  Derived by
-- perfingest from the records it inserts; an hour changed by any other means
-- is marked in generic_chunk_dirty (triggers below), read from
-- generic_record until perfingest rebuilds it.
CREATE TABLE generic_record (
	source TEXT NOT NULL, ts_us INTEGER NOT NULL,
	record TEXT NOT NULL,                 -- JSON: the whole record (text fields too)
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (source, ts_us)
);
CREATE TABLE generic_metric (
	source TEXT NOT NULL, metric TEXT NOT NULL,
	PRIMARY KEY (source, metric)
) WITHOUT ROWID;
CREATE TABLE generic_chunk (
	source TEXT NOT NULL, metric TEXT NOT NULL,
	hour   INTEGER NOT NULL,              -- ts_us / 3600000000
	n      INTEGER NOT NULL,              -- values in the chunk
	ts     BLOB NOT NULL,                 -- n int64, ascending
	vals   BLOB NOT NULL,                 -- n doubles
	PRIMARY KEY (source, metric, hour)
) WITHOUT ROWID;
CREATE TABLE generic_chunk_dirty (
	source TEXT NOT NULL, hour INTEGER NOT NULL,
	PRIMARY KEY (source, hour)
) WITHOUT ROWID;
CREATE TRIGGER generic_record_insert AFTER INSERT ON generic_record
WHEN NOT EXISTS (SELECT 1 FROM chunk_writer) BEGIN
	INSERT OR IGNORE INTO generic_chunk_dirty VALUES (new.source, new.ts_us / 3600000000);
END;
CREATE TRIGGER generic_record_delete AFTER DELETE ON generic_record BEGIN
	INSERT OR IGNORE INTO generic_chunk_dirty VALUES (old.source, old.ts_us / 3600000000);
END;
CREATE TRIGGER generic_record_update AFTER UPDATE ON generic_record BEGIN
	INSERT OR IGNORE INTO generic_chunk_dirty VALUES (old.source, old.ts_us / 3600000000);
	INSERT OR IGNORE INTO generic_chunk_dirty VALUES (new.source, new.ts_us / 3600000000);
END;

-- F9 nvidia-smi --query-gpu CSV: one GPU at one time.
CREATE TABLE gpu_sample (
	profile TEXT NOT NULL, ts_us INTEGER NOT NULL, gpu_index INTEGER NOT NULL,
	name TEXT, utilization_gpu_percent REAL, utilization_memory_percent REAL,
	memory_used_mib REAL, memory_total_mib REAL, temperature_gpu_c REAL,
	power_draw_w REAL, clocks_sm_mhz REAL, extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (profile, ts_us, gpu_index)
);

-- F10 sysstat sadf -j: one host at one time, its disks and interfaces.
-- The CPU columns keep each export's meaning: sadf -u (the default CPU
-- report) writes user (with guest), nice (with guest nice) and system (with
-- irq and softirq) -> cpu_user, cpu_nice, cpu_system; -u ALL and -A write
-- usr, nice, sys without them and irq, soft, guest, gnice apart ->
-- cpu_usr, cpu_nice_noguest, cpu_sys, cpu_irq, cpu_soft, cpu_guest,
-- cpu_gnice.  iowait, steal and idle mean the same in both.  A second
-- export of the same recording fills the columns the first left NULL.
CREATE TABLE sys_sample (
	profile TEXT NOT NULL, ts_us INTEGER NOT NULL, interval_s REAL,
	cpu_user REAL, cpu_nice REAL, cpu_system REAL, cpu_iowait REAL, cpu_steal REAL,
	cpu_idle REAL, mem_free_kb REAL, mem_avail_kb REAL, mem_used_kb REAL,
	mem_used_percent REAL, mem_buffers_kb REAL, mem_cached_kb REAL,
	mem_commit_percent REAL, runq_sz REAL, plist_sz REAL, ldavg_1 REAL,
	ldavg_5 REAL, ldavg_15 REAL, blocked REAL, extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	cpu_usr REAL, cpu_nice_noguest REAL, cpu_sys REAL, cpu_irq REAL, cpu_soft REAL,
	cpu_guest REAL, cpu_gnice REAL,
	PRIMARY KEY (profile, ts_us)
);
-- The columnar copies of gpu_sample and sys_sample (the engine of hw_chunk,
-- core/colstore.c): one row per (profile, gpu_index, UTC day) and per
-- (profile, UTC day) with the times and the table's numeric columns packed
-- as hw_chunk's (n little-endian int64 times ascending; ncols x n doubles,
-- column-major in the table's order, NaN = NULL).  The raw columns, not the
-- registry's metrics: core/query_gpu_sys.c maps them, in one place.
-- Derived by perfingest from the rows it inserts; a day changed by any
-- other means is marked in *_chunk_dirty (triggers below), read from the
-- row table until perfingest rebuilds it.  Rowid tables with a key index,
-- as hw_chunk, so that listing a machine's keys reads no blob.
CREATE TABLE gpu_chunk (
	id        INTEGER PRIMARY KEY,
	profile   TEXT NOT NULL,
	gpu_index INTEGER NOT NULL,
	day       INTEGER NOT NULL,             -- ts_us / 86400000000
	n         INTEGER NOT NULL,             -- samples in the chunk
	ncols     INTEGER NOT NULL,             -- values per sample
	ts        BLOB NOT NULL,
	vals      BLOB NOT NULL,
	UNIQUE (profile, gpu_index, day)
);
-- perfanalyze --list (version 5): sample counts from the chunks' n without
-- reading the chunk rows (covering indexes); each machine's GPUs by a skip
-- scan of the same index, not a scan of the rows.
CREATE INDEX gpu_chunk_count ON gpu_chunk (profile, gpu_index, day, n);
CREATE TABLE gpu_chunk_dirty (
	profile TEXT NOT NULL, day INTEGER NOT NULL,
	PRIMARY KEY (profile, day)
) WITHOUT ROWID;
CREATE TRIGGER gpu_sample_insert AFTER INSERT ON gpu_sample
WHEN NOT EXISTS (SELECT 1 FROM chunk_writer) BEGIN
	INSERT OR IGNORE INTO gpu_chunk_dirty VALUES (new.profile, new.ts_us / 86400000000);
END;
CREATE TRIGGER gpu_sample_delete AFTER DELETE ON gpu_sample BEGIN
	INSERT OR IGNORE INTO gpu_chunk_dirty VALUES (old.profile, old.ts_us / 86400000000);
END;
CREATE TRIGGER gpu_sample_update AFTER UPDATE ON gpu_sample BEGIN
	INSERT OR IGNORE INTO gpu_chunk_dirty VALUES (old.profile, old.ts_us / 86400000000);
	INSERT OR IGNORE INTO gpu_chunk_dirty VALUES (new.profile, new.ts_us / 86400000000);
END;
CREATE TABLE sys_chunk (
	id      INTEGER PRIMARY KEY,
	profile TEXT NOT NULL,
	day     INTEGER NOT NULL,               -- ts_us / 86400000000
	n       INTEGER NOT NULL,
	ncols   INTEGER NOT NULL,
	ts      BLOB NOT NULL,
	vals    BLOB NOT NULL,
	UNIQUE (profile, day)
);
CREATE INDEX sys_chunk_count ON sys_chunk (profile, day, n);   -- version 5, as above
CREATE TABLE sys_chunk_dirty (
	profile TEXT NOT NULL, day INTEGER NOT NULL,
	PRIMARY KEY (profile, day)
) WITHOUT ROWID;
CREATE TRIGGER sys_sample_insert AFTER INSERT ON sys_sample
WHEN NOT EXISTS (SELECT 1 FROM chunk_writer) BEGIN
	INSERT OR IGNORE INTO sys_chunk_dirty VALUES (new.profile, new.ts_us / 86400000000);
END;
CREATE TRIGGER sys_sample_delete AFTER DELETE ON sys_sample BEGIN
	INSERT OR IGNORE INTO sys_chunk_dirty VALUES (old.profile, old.ts_us / 86400000000);
END;
CREATE TRIGGER sys_sample_update AFTER UPDATE ON sys_sample BEGIN
	INSERT OR IGNORE INTO sys_chunk_dirty VALUES (old.profile, old.ts_us / 86400000000);
	INSERT OR IGNORE INTO sys_chunk_dirty VALUES (new.profile, new.ts_us / 86400000000);
END;
CREATE TABLE sys_disk (
	profile TEXT NOT NULL, ts_us INTEGER NOT NULL, device TEXT NOT NULL,
	tps REAL, rkb_s REAL, wkb_s REAL, await_ms REAL, util_percent REAL, extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (profile, ts_us, device)
);
-- F10 sadf -j: a host's restarts (LINUX RESTART, the "restarts" member:
-- the counters start again from zero) and comments (sadc -C, the
-- "comments" member, exported by sadf -C).
CREATE TABLE sys_restart (
	profile TEXT NOT NULL, ts_us INTEGER NOT NULL, cpu_count INTEGER, extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (profile, ts_us)
);
CREATE TABLE sys_comment (
	profile TEXT NOT NULL, ts_us INTEGER NOT NULL, comment TEXT NOT NULL, extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (profile, ts_us, comment)
);
CREATE TABLE sys_net (
	profile TEXT NOT NULL, ts_us INTEGER NOT NULL, iface TEXT NOT NULL,
	rxpck_s REAL, txpck_s REAL, rxkb_s REAL, txkb_s REAL, ifutil_percent REAL, extra TEXT,
	source_id INTEGER NOT NULL, line INTEGER NOT NULL,
	PRIMARY KEY (profile, ts_us, iface)
);

-- The metric registry (core/metrics.c), mirrored for SQL users.
CREATE TABLE metric (
	name        TEXT PRIMARY KEY,
	source      TEXT NOT NULL,              -- table holding it
	column_name TEXT NOT NULL,
	unit        TEXT NOT NULL,
	label       TEXT NOT NULL,
	direction   TEXT NOT NULL               -- 'lower', 'higher' or 'neutral' is better
);

-- Friendly surfaces for sqlite3 and other SQL tools.
CREATE VIEW hw_samples AS
SELECT p.name AS profile,
	strftime('%Y-%m-%dT%H:%M:%fZ', s.ts_us / 1000000.0, 'unixepoch') AS time_utc,
	s.cpu_percent_total AS "cpu.percent_total",
	s.cpu_frequency_current_mhz AS "cpu.frequency_current_mhz",
	s.cpu_load_average_1min AS "cpu.load_average_1min",
	s.memory_used_gb AS "memory.used_gb",
	s.memory_available_gb AS "memory.available_gb",
	s.memory_percent AS "memory.percent",
	s.memory_swap_used_gb AS "memory.swap_used_gb",
	s.memory_swap_percent AS "memory.swap_percent",
	s.gpu_utilization_percent AS "gpu.utilization_percent",
	s.gpu_memory_utilization_percent AS "gpu.memory_utilization_percent",
	s.gpu_memory_used_mb AS "gpu.memory_used_mb",
	s.gpu_memory_free_mb AS "gpu.memory_free_mb",
	s.gpu_temperature_celsius AS "gpu.temperature_celsius",
	s.gpu_power_draw_watts AS "gpu.power_draw_watts",
	s.thermal_max_temp AS "thermal.max_temp",
	s.processes_total_processes AS "processes.total_processes",
	s.processes_python_processes AS "processes.python_processes",
	s.processes_whisper_processes AS "processes.whisper_processes",
	s.processes_python_memory_total_percent AS "processes.python_memory_total_percent",
	s.processes_python_cpu_total_percent AS "processes.python_cpu_total_percent",
	s.processes_python_threads_total AS "processes.python_threads_total",
	s.inference_timing_wake_word_latency_ms_mean AS "inference_timing.wake_word_latency_ms.mean",
	s.inference_timing_wake_word_latency_ms_min AS "inference_timing.wake_word_latency_ms.min",
	s.inference_timing_wake_word_latency_ms_max AS "inference_timing.wake_word_latency_ms.max",
	s.inference_timing_wake_word_latency_ms_count AS "inference_timing.wake_word_latency_ms.count",
	s.cpu_percent_per_core, s.thermal_sensors, s.unavailable, s.extra,
	f.path AS source_path, f.member AS source_member, s.line AS source_line
FROM hw_sample s JOIN profile p ON p.id = s.profile_id
JOIN source_file f ON f.id = s.source_id;

CREATE VIEW rejects AS
SELECT f.path AS source_path, f.member AS source_member, r.line, r.col,
	r.reason, r.raw, r.raw_size
FROM reject r JOIN source_file f ON f.id = r.source_id;

CREATE VIEW profiles AS
SELECT p.name AS profile, count(*) AS samples,
	strftime('%Y-%m-%dT%H:%M:%fZ', min(s.ts_us) / 1000000.0, 'unixepoch') AS first_utc,
	strftime('%Y-%m-%dT%H:%M:%fZ', max(s.ts_us) / 1000000.0, 'unixepoch') AS last_utc
FROM profile p JOIN hw_sample s ON s.profile_id = p.id GROUP BY p.id;
