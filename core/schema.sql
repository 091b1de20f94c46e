-- schema.sql - the perfkit database, schema version 1.
-- Applied by core/db.c (PRAGMA user_version = 1).  Times are UTC microseconds
-- since 1970-01-01 (INTEGER); the views show them as ISO-8601 text.  A missing
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
-- rebuilds it.
CREATE TABLE hw_chunk (
	profile_id INTEGER NOT NULL,
	day        INTEGER NOT NULL,            -- ts_us / 86400000000
	n          INTEGER NOT NULL,            -- samples in the chunk
	nmetrics   INTEGER NOT NULL,            -- metrics per sample
	ts         BLOB NOT NULL,               -- n int64, ascending
	vals       BLOB NOT NULL,               -- nmetrics x n doubles, metric-major
	PRIMARY KEY (profile_id, day)
) WITHOUT ROWID;

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
