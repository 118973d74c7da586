using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Scaffold;

/// <summary>
/// Two tables made the way schemas made elsewhere are (Sakila, Pagila, hand-written DDL), with the column types and
/// spellings Premix does not write itself: unsigned and display-width integers, TEXT and BLOB sizes, DATETIME without
/// fractions, CHAR, serial keys, NVARCHAR and DATETIME on SQLite. Types Premix has no CLR type for (ENUM, YEAR, arrays)
/// are left out: the scaffolder leaves them out of the model too.
/// </summary>
internal static class BrownfieldTables
{
    /// <summary>The tables' names, parent first.</summary>
    public static readonly string[] Names = ["brownfield_parent", "brownfield_types"];

    /// <summary>The DDL of <paramref name="engine"/>, as one script.</summary>
    public static string Ddl(Engine engine) => engine switch
    {
        Engine.MySql => """
            CREATE TABLE brownfield_parent (
              parent_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
              name CHAR(20) NOT NULL,
              PRIMARY KEY (parent_id)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8;
            CREATE TABLE brownfield_types (
              id SMALLINT(5) UNSIGNED NOT NULL AUTO_INCREMENT,
              parent_id INT UNSIGNED NOT NULL,
              small_count SMALLINT UNSIGNED NULL,
              medium_count MEDIUMINT UNSIGNED NULL,
              tiny_count TINYINT UNSIGNED NOT NULL DEFAULT 3,
              signed_tiny TINYINT NULL,
              plain_int INT(11) NULL,
              big BIGINT(20) NULL,
              flag BOOLEAN NOT NULL DEFAULT TRUE,
              price DECIMAL(4,2) NOT NULL DEFAULT 4.99,
              whole DECIMAL NULL,
              ratio FLOAT NULL,
              measure DOUBLE NULL,
              code CHAR(3) NULL,
              title VARCHAR(255) NOT NULL,
              password VARCHAR(40) BINARY NULL,
              short_note TINYTEXT NULL,
              description TEXT NULL,
              notes MEDIUMTEXT NULL,
              body LONGTEXT NULL,
              picture BLOB NULL,
              thumbnail MEDIUMBLOB NULL,
              raw LONGBLOB NULL,
              hash BINARY(16) NULL,
              token VARBINARY(64) NULL,
              created DATETIME NOT NULL,
              precise DATETIME(6) NULL,
              updated DATETIME NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
              born DATE NULL,
              duration TIME NULL,
              guid CHAR(36) NULL,
              PRIMARY KEY (id),
              KEY idx_types_title (title),
              CONSTRAINT fk_types_parent FOREIGN KEY (parent_id) REFERENCES brownfield_parent (parent_id) ON DELETE RESTRICT ON UPDATE CASCADE
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8;
            """,
        Engine.PostgreSql => """
            CREATE TABLE brownfield_parent (
                parent_id serial PRIMARY KEY,
                name character(20) NOT NULL
            );
            CREATE SEQUENCE brownfield_types_id_seq;
            CREATE TABLE brownfield_types (
                id integer DEFAULT nextval('brownfield_types_id_seq'::regclass) NOT NULL PRIMARY KEY,
                parent_id integer NOT NULL REFERENCES brownfield_parent (parent_id) ON UPDATE CASCADE ON DELETE RESTRICT,
                small_count smallint,
                big bigint,
                flag boolean DEFAULT true NOT NULL,
                price numeric(4,2) DEFAULT 4.99 NOT NULL,
                amount numeric,
                ratio real,
                measure double precision,
                code character(3),
                title character varying(255) NOT NULL,
                description text,
                picture bytea,
                created timestamp without time zone NOT NULL,
                rounded timestamp(0) without time zone,
                updated timestamp with time zone DEFAULT now() NOT NULL,
                born date DEFAULT ('now'::text)::date NOT NULL,
                starts time without time zone,
                lasts interval,
                guid uuid
            );
            CREATE INDEX idx_types_title ON brownfield_types USING btree (title);
            """,
        _ => """
            CREATE TABLE brownfield_parent (
                parent_id INTEGER PRIMARY KEY,
                name NVARCHAR(20) NOT NULL
            );
            CREATE TABLE brownfield_types (
                id INTEGER NOT NULL PRIMARY KEY,
                parent_id INTEGER NOT NULL REFERENCES brownfield_parent (parent_id),
                small_count SMALLINT,
                big BIGINT,
                flag BOOLEAN NOT NULL DEFAULT 1,
                price NUMERIC(4,2) NOT NULL DEFAULT 4.99,
                ratio REAL,
                measure DOUBLE,
                code NCHAR(3),
                title VARCHAR(255) NOT NULL,
                description TEXT,
                picture BLOB,
                created DATETIME NOT NULL,
                born DATE,
                starts TIME,
                guid UUID
            );
            CREATE INDEX idx_types_title ON brownfield_types (title);
            """,
    };

    /// <summary>
    /// How the engine's catalog spells the type Premix creates for the columns whose type the scaffolded model leaves to
    /// Premix, where that differs from the original's: the same type with its default precision written out on PostgreSQL,
    /// SQLite's own type of the same affinity. Every other column is created exactly as it was.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Respelled(Engine engine) => engine switch
    {
        Engine.PostgreSql => new Dictionary<string, string>
        {
            ["brownfield_types.created"] = "timestamp(6) without time zone",
            ["brownfield_types.updated"] = "timestamp(6) with time zone",
            ["brownfield_types.starts"] = "time(6) without time zone",
        },
        Engine.Sqlite => new Dictionary<string, string>
        {
            ["brownfield_parent.name"] = "TEXT",
            ["brownfield_types.small_count"] = "INTEGER",
            ["brownfield_types.big"] = "INTEGER",
            ["brownfield_types.measure"] = "REAL",
            ["brownfield_types.code"] = "TEXT",
            ["brownfield_types.title"] = "TEXT",
        },
        _ => new Dictionary<string, string>(),
    };
}
