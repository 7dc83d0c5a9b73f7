// Search and database APIs that bots probe for open data and old RCEs: Elasticsearch 1.4.2
// on 9200 (the Groovy sandbox era, CVE-2015-1427), CouchDB 2.3.1 on 5984 and a Hadoop 2.7.3
// NameNode's web UI on 50070. Enough of each API for scanners to send their next request.

import { jsonReply, type HttpReply, type Persona } from '../persona.js';

const ES_TYPE = 'application/json; charset=UTF-8';

const ES_BANNER = {
  status: 200, name: 'Thunderbird', cluster_name: 'elasticsearch',
  version: { number: '1.4.2', build_hash: '927caff6f05403e936c20bf4529f144f0c89fd8c',
    build_timestamp: '2014-12-16T14:11:12Z', build_snapshot: false, lucene_version: '4.10.2' },
  tagline: 'You Know, for Search',
};

const ES_EMPTY_SEARCH = {
  took: 1, timed_out: false, _shards: { total: 5, successful: 5, failed: 0 },
  hits: { total: 0, max_score: null, hits: [] },
};

function es(status: number, value: unknown): HttpReply {
  return jsonReply(status, value, [], ES_TYPE);
}

export const elasticsearch: Persona = {
  name: 'elasticsearch',
  product: 'Elasticsearch 1.4.2',
  ports: [9200],
  respond(req) {
    if (req.path === '/') return es(200, ES_BANNER);
    if (/(^|\/)_search$/.test(req.path)) return es(200, ES_EMPTY_SEARCH);
    if (req.path === '/_cat/indices') {
      return { status: 200, headers: [['Content-Type', 'text/plain; charset=UTF-8']], body: '' };
    }
    if (req.path === '/_nodes' || req.path === '/_cluster/health') {
      return es(200, { cluster_name: 'elasticsearch', status: 'green', number_of_nodes: 1 });
    }
    return es(400, { error: 'InvalidIndexNameException[[_unknown] Invalid index name, must ' +
      'not start with \'_\']', status: 400 });
  },
};

const COUCH_SERVER = 'CouchDB/2.3.1 (Erlang OTP/19)';

function couch(status: number, value: unknown): HttpReply {
  const reply = jsonReply(status, value, [['Server', COUCH_SERVER]]);
  reply.body = `${String(reply.body)}\n`;
  return reply;
}

export const couchdb: Persona = {
  name: 'couchdb',
  product: 'Apache CouchDB 2.3.1',
  ports: [5984],
  respond(req) {
    if (req.path === '/') {
      return couch(200, { couchdb: 'Welcome', version: '2.3.1', git_sha: 'c298091a4',
        uuid: '85fb71bf700c17267fef77535820e371', features: ['pluggable-storage-engines',
          'scheduler'], vendor: { name: 'The Apache Software Foundation' } });
    }
    if (req.path === '/_all_dbs') return couch(200, ['_replicator', '_users']);
    if (req.path.startsWith('/_config') || req.path.startsWith('/_node')) {
      return couch(401, { error: 'unauthorized', reason: 'You are not a server admin.' });
    }
    return couch(404, { error: 'not_found', reason: 'Database does not exist.' });
  },
};

const JETTY = 'Jetty(6.1.26.hwx)';

const NAMENODE_INFO = {
  name: 'Hadoop:service=NameNode,name=NameNodeInfo',
  modelerType: 'org.apache.hadoop.hdfs.server.namenode.FSNamesystem',
  Total: 105089261568, ClusterId: 'CID-4f1d8f4e-9d4c-4c4e-8d6b-3f0e8e2a7b11',
  Version: '2.7.3, rbaa91f7c6bc9cb92be5982de4719c1c8af91ccff', Used: 4096,
  Free: 98221039616, Safemode: '', NonDfsUsedSpace: 6868217856, PercentUsed: 0,
  LiveNodes: '{}', DeadNodes: '{}', DecomNodes: '{}',
};

export const hadoop: Persona = {
  name: 'hadoop-namenode',
  product: 'Apache Hadoop 2.7.3 NameNode web UI (Jetty 6.1.26)',
  ports: [50070],
  respond(req) {
    if (req.path === '/jmx') {
      return jsonReply(200, { beans: [NAMENODE_INFO] }, [['Cache-Control', 'no-cache'],
        ['Access-Control-Allow-Methods', 'GET'], ['Access-Control-Allow-Origin', '*']],
      'application/json; charset=utf8');
    }
    if (req.path === '/') {
      return { status: 302, headers: [['Location', 'dfshealth.html'], ['Server', JETTY],
        ['Content-Type', 'text/html']], body: '' };
    }
    return { status: 404, headers: [['Server', JETTY],
      ['Content-Type', 'text/html; charset=iso-8859-1']],
    body: '<html><head><title>Error 404 NOT_FOUND</title></head><body>NOT_FOUND</body></html>' };
  },
};
