-- create_a: embedded in Premix.Tests, read by MigrationAdoptionTests.
-- +premix Up
CREATE TABLE t_a (id INTEGER PRIMARY KEY);
INSERT INTO t_a (id) VALUES (1);

-- +premix Down
DROP TABLE t_a;
