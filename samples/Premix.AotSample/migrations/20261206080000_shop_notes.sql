-- shop_notes: a table outside the mapping, created by the migration the sample applies when started with Shop:Migrate=true
-- (the one-shot deploy step of docs/migrations.md; NativeAotFeatureTests runs it in the native binary). Plain SQL that
-- SQLite, PostgreSQL and MariaDB all run.
-- +premix Up
CREATE TABLE shop_notes (id INT NOT NULL PRIMARY KEY, note VARCHAR(100) NOT NULL);
INSERT INTO shop_notes (id, note) VALUES (1, 'migrated');

-- +premix Down
DROP TABLE shop_notes;
