-- fixture.sql - fictional stories, places, events and quotes for the serve
-- tests, applied only to databases whose own stages have not produced them
-- yet (tables created with the columns of shared/DESIGN.md). Every name here
-- is invented. Articles are the first six of the database, whatever they are.
CREATE TABLE IF NOT EXISTS entity (id INTEGER PRIMARY KEY, type TEXT, name TEXT, lat REAL, lon REAL,
                                   country TEXT, geonames_id INTEGER);
CREATE TABLE IF NOT EXISTS alias (entity_id INTEGER, surface TEXT, count INTEGER);
CREATE TABLE IF NOT EXISTS event (id INTEGER PRIMARY KEY, story_id INTEGER, type TEXT, actor_id INTEGER,
                                  target_id INTEGER, place_id INTEGER, date TEXT, date_precision TEXT,
                                  killed_min INTEGER, killed_max INTEGER);
CREATE TABLE IF NOT EXISTS event_source (event_id INTEGER, article_id INTEGER, sentence TEXT, confidence REAL);
CREATE TABLE IF NOT EXISTS quote (id INTEGER PRIMARY KEY, article_id INTEGER, speaker_id INTEGER, text TEXT);
INSERT INTO story (id, title, first_seen, last_seen)
  SELECT 9001, 'Fighting around the Ostrava Pass', '2031-04-02', '2031-04-09'
  WHERE NOT EXISTS (SELECT 1 FROM story WHERE id = 9001);
UPDATE article SET story_id = 9001 WHERE rowid IN (SELECT rowid FROM article ORDER BY rowid LIMIT 6);
INSERT OR IGNORE INTO entity VALUES
  (9101, 'place', 'Brenhaven', 41.62, 23.95, 'XA', NULL),
  (9102, 'place', 'Ostrava Pass', 42.10, 24.80, 'XA', NULL),
  (9103, 'place', 'Lake Merrow', 40.95, 25.40, 'XA', NULL),
  (9104, 'org', 'Northern Guard', NULL, NULL, NULL, NULL),
  (9105, 'org', 'Pass Defence Militia', NULL, NULL, NULL, NULL),
  (9106, 'person', 'Ilse Varga', NULL, NULL, NULL, NULL);
INSERT INTO alias SELECT 9104, 'the Guard', 3 WHERE NOT EXISTS (SELECT 1 FROM alias WHERE entity_id = 9104);
INSERT INTO alias SELECT 9104, 'Northern Guard', 7 WHERE (SELECT count(*) FROM alias WHERE entity_id = 9104) < 2;
INSERT OR IGNORE INTO event VALUES
  (9201, 9001, 'shelling', 9104, 9105, 9102, '2031-04-02', 'day', 3, 5),
  (9202, 9001, 'armed_clash', 9105, 9104, 9101, '2031-04-05', 'day', 7, 7),
  (9203, 9001, 'meeting', 9104, NULL, 9103, '2031-04-09', 'day', NULL, NULL);
INSERT INTO event_source SELECT 9201, (SELECT rowid FROM article ORDER BY rowid LIMIT 1),
  'Artillery of the Northern Guard pounded positions near the Ostrava Pass on Tuesday, killing at least three fighters.', 0.9
  WHERE NOT EXISTS (SELECT 1 FROM event_source WHERE event_id = 9201);
INSERT INTO event_source SELECT 9201, (SELECT rowid FROM article ORDER BY rowid LIMIT 1 OFFSET 1),
  'Five militiamen died in the shelling, a local commander said.', 0.6
  WHERE (SELECT count(*) FROM event_source WHERE event_id = 9201) < 2;
INSERT INTO event_source SELECT 9202, (SELECT rowid FROM article ORDER BY rowid LIMIT 1 OFFSET 2),
  'Seven people were killed when militia fighters clashed with the Guard on the outskirts of Brenhaven.', 0.8
  WHERE NOT EXISTS (SELECT 1 FROM event_source WHERE event_id = 9202);
INSERT INTO event_source SELECT 9203, (SELECT rowid FROM article ORDER BY rowid LIMIT 1 OFFSET 3),
  'Envoys of both sides met at a lodge on Lake Merrow to discuss a truce.', 0.7
  WHERE NOT EXISTS (SELECT 1 FROM event_source WHERE event_id = 9203);
INSERT OR IGNORE INTO quote VALUES
  (9301, (SELECT rowid FROM article ORDER BY rowid LIMIT 1 OFFSET 3), 9106,
   'We came to Lake Merrow to stop the guns, not to trade accusations.');
