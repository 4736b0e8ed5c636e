import { type MigrationInterface, type QueryRunner } from 'typeorm';

/*
 * Kompetansebaser (issue 17): a learning network's competence base, which takes orders from the
 * network's child-welfare services (the services whose network_id is the base's network) and carries
 * them out as kompetansebase assignments. One base per network; its capacity is the number of active
 * assignments it can carry at once (shown beside its queue).
 *
 * Seeded: one base for each network that exists when this runs, named after it, with capacity 8.
 * ASSUMPTION (Barneløftet final report: every learning network should get a base; the report gives no
 * staffing figure): 8 concurrent assignments, to be set per base. Ids are derived from the network's id
 * (md5 as a uuid), so every environment has the same base id for the same seeded network.
 */
export class Kompetansebaser1765460000000 implements MigrationInterface {
  name = 'Kompetansebaser1765460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE kompetansebaser (
        id         uuid    PRIMARY KEY DEFAULT gen_random_uuid(),
        name       text    NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        network_id uuid    NOT NULL UNIQUE REFERENCES learning_networks (id),
        capacity   integer NOT NULL CHECK (capacity BETWEEN 1 AND 1000)
      )`);
    await q.query(`CREATE UNIQUE INDEX kompetansebaser_name_key ON kompetansebaser (lower(name))`);
    await q.query(`
      INSERT INTO kompetansebaser (id, name, network_id, capacity)
      SELECT md5('kompetansebase:' || n.id::text)::uuid, 'Kompetansebase ' || n.name, n.id, 8
        FROM learning_networks n`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE kompetansebaser`);
  }
}
