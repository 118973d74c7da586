-- create-b: a hyphen in the name, as the build keeps it in the resource name.
-- +premix Up
CREATE TABLE t_b (id INTEGER PRIMARY KEY, a_id INTEGER NOT NULL REFERENCES t_a (id));
