import { sql, type Kysely } from 'kysely'
import {
  TIMESTAMP_TYPE,
  dialectOf,
  idColumnConstraints,
  idColumnType,
  longTextType,
  withTableOptions,
} from './helpers-v1.js'

/**
 * Fleet's built-in labels with Fleet's ids (tools such as osquery-perf key on them; 13 and 14 are
 * kept for iOS and iPadOS). Written here once; never edit after merge.
 */
const BUILTIN_LABELS: {
  id: number
  name: string
  description: string
  query: string
  platform: string
}[] = [
  {
    id: 6,
    name: 'All Hosts',
    description: 'All hosts which have enrolled in Fleet',
    query: 'SELECT 1;',
    platform: '',
  },
  {
    id: 7,
    name: 'macOS',
    description: 'All macOS hosts',
    query: "SELECT 1 FROM os_version WHERE platform = 'darwin';",
    platform: 'darwin',
  },
  {
    id: 8,
    name: 'Ubuntu Linux',
    description: 'All Ubuntu hosts',
    query: "SELECT 1 FROM os_version WHERE platform = 'ubuntu';",
    platform: 'ubuntu',
  },
  {
    id: 9,
    name: 'CentOS Linux',
    description: 'All CentOS hosts',
    query: "SELECT 1 FROM os_version WHERE platform = 'centos' OR name LIKE '%centos%';",
    platform: 'centos',
  },
  {
    id: 10,
    name: 'MS Windows',
    description: 'All Windows hosts',
    query: "SELECT 1 FROM os_version WHERE platform = 'windows';",
    platform: 'windows',
  },
  {
    id: 11,
    name: 'Red Hat Linux',
    description: 'All Red Hat Enterprise Linux hosts',
    query: "SELECT 1 FROM os_version WHERE name LIKE '%red hat%';",
    platform: 'rhel',
  },
  {
    id: 12,
    name: 'All Linux',
    description: 'All Linux distributions',
    query:
      "SELECT 1 FROM osquery_info WHERE build_platform LIKE '%ubuntu%' OR build_distro LIKE '%centos%' OR build_platform = 'linux' OR build_platform LIKE '%rhel%' OR build_platform LIKE '%debian%';",
    platform: '',
  },
  {
    id: 15,
    name: 'chrome',
    description: 'All Chrome hosts',
    query: "SELECT 1 FROM os_version WHERE platform = 'chrome';",
    platform: 'chrome',
  },
]

/** Labels (built-in, dynamic and manual) and which hosts belong to them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db)
  await withTableOptions(
    db.schema
      .createTable('labels')
      .addColumn('id', idColumnType(dialect), idColumnConstraints(dialect))
      .addColumn('created_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('description', longTextType(dialect), (c) => c.notNull())
      .addColumn('query', longTextType(dialect), (c) => c.notNull())
      .addColumn('platform', 'varchar(64)', (c) => c.notNull().defaultTo(''))
      .addColumn('label_type', 'varchar(16)', (c) => c.notNull())
      .addColumn('label_membership_type', 'varchar(16)', (c) => c.notNull()),
    dialect,
  ).execute()
  await withTableOptions(
    db.schema
      .createTable('label_membership')
      .addColumn('label_id', 'integer', (c) =>
        c.notNull().references('labels.id').onDelete('cascade'),
      )
      .addColumn('host_id', 'integer', (c) =>
        c.notNull().references('hosts.id').onDelete('cascade'),
      )
      .addColumn('updated_at', TIMESTAMP_TYPE, (c) => c.notNull())
      .addPrimaryKeyConstraint('label_membership_pk', ['label_id', 'host_id']),
    dialect,
  ).execute()
  await db.schema
    .createIndex('label_membership_host_id')
    .on('label_membership')
    .column('host_id')
    .execute()

  const now = Date.now()
  for (const label of BUILTIN_LABELS) {
    await sql`INSERT INTO labels (id, created_at, updated_at, name, description, query, platform, label_type, label_membership_type)
      VALUES (${label.id}, ${now}, ${now}, ${label.name}, ${label.description}, ${label.query}, ${label.platform}, 'builtin', 'dynamic')`.execute(
      db,
    )
  }
  if (dialect === 'postgres') {
    // Explicit ids don't move PostgreSQL's sequence; user labels must start after the built-ins.
    await sql`SELECT setval(pg_get_serial_sequence('labels', 'id'), (SELECT max(id) FROM labels))`.execute(
      db,
    )
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('label_membership').execute()
  await db.schema.dropTable('labels').execute()
}
