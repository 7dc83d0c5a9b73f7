// UPnP IGD control endpoints that router botnets exploit: the Realtek SDK's miniigd on 52869
// (AddPortMapping, CVE-2014-8361) and the Huawei HG532's on 37215 (DeviceUpgrade, CVE-2017-
// 17215). SOAP replies as the devices send them; the injected arguments stay in the body.

import { header, type HttpReply, type HttpRequest, type Persona,
  type PersonaRecorder } from '../persona.js';

const REALTEK_SERVER = 'Linux/2.4.18, UPnP/1.0, miniigd/1.0';
const WANIP = 'urn:schemas-upnp-org:service:WANIPConnection:1';
const MAX_ACTION_CHARS = 128;

const DEVICE = [
  '<?xml version="1.0"?>',
  '<root xmlns="urn:schemas-upnp-org:device-1-0">',
  '<specVersion><major>1</major><minor>0</minor></specVersion>',
  '<device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>',
  '<friendlyName>Realtek IGD</friendlyName><manufacturer>Realtek Semiconductor</manufacturer>',
  '<modelName>RTL8196C</modelName><modelNumber>1.0</modelNumber>',
  '<UDN>uuid:12342409-1234-1234-5678-ee1234cc5678</UDN>',
  '<serviceList><service>', `<serviceType>${WANIP}</serviceType>`,
  '<serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>',
  '<SCPDURL>/wanipcn.xml</SCPDURL><controlURL>/upnp/control/WANIPConn1</controlURL>',
  '<eventSubURL>/upnp/event/WANIPConn1</eventSubURL>',
  '</service></serviceList></device></root>', '',
].join('\r\n');

const ACTIONS = ['AddPortMapping', 'DeletePortMapping', 'GetExternalIPAddress',
  'GetGenericPortMappingEntry', 'GetStatusInfo'];

const SCPD = [
  '<?xml version="1.0"?>', '<scpd xmlns="urn:schemas-upnp-org:service-1-0">',
  '<specVersion><major>1</major><minor>0</minor></specVersion>', '<actionList>',
  ...ACTIONS.map((a) => `<action><name>${a}</name></action>`), '</actionList></scpd>', '',
].join('\r\n');

function soap(body: string, status = 200, server = REALTEK_SERVER): HttpReply {
  const envelope = '<?xml version="1.0"?>\r\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/' +
    'soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">' +
    `<s:Body>${body}</s:Body></s:Envelope>\r\n`;
  return { status, headers: [['Server', server], ['Content-Type', 'text/xml; charset="utf-8"'],
    ['EXT', '']], body: envelope };
}

const INVALID_ACTION = '<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError' +
  '</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>401' +
  '</errorCode><errorDescription>Invalid Action</errorDescription></UPnPError></detail>' +
  '</s:Fault>';

/** The action a SOAP request names: `"urn:...:1#AddPortMapping"` gives AddPortMapping. */
function soapAction(req: HttpRequest, rec: PersonaRecorder): string | undefined {
  const value = header(req, 'soapaction');
  if (value === undefined) return undefined;
  const action = value.replace(/"/g, '').split('#')[1]?.slice(0, MAX_ACTION_CHARS);
  rec.note('soap_action', value.slice(0, MAX_ACTION_CHARS * 2));
  return action;
}

function xml(body: string, server: string): HttpReply {
  return { status: 200, headers: [['Server', server], ['Content-Type', 'text/xml']], body };
}

export const realtekUpnp: Persona = {
  name: 'realtek-miniigd',
  product: 'Realtek SDK miniigd UPnP 1.0 (RTL8196C routers)',
  ports: [52869],
  claims: (req) => /WANIPConnection:1#/.test(header(req, 'soapaction') ?? ''),
  respond(req, rec) {
    if (req.method === 'GET' && req.path === '/picsdesc.xml') return xml(DEVICE, REALTEK_SERVER);
    if (req.method === 'GET' && req.path === '/wanipcn.xml') return xml(SCPD, REALTEK_SERVER);
    const action = soapAction(req, rec);
    if (req.method !== 'POST' || action === undefined) {
      return { status: 404, headers: [['Server', REALTEK_SERVER], ['Content-Type', 'text/html']],
        body: '<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD><BODY>Not Found</BODY></HTML>' };
    }
    if (!ACTIONS.includes(action)) return soap(INVALID_ACTION, 500);
    return soap(`<u:${action}Response xmlns:u="${WANIP}"></u:${action}Response>`);
  },
};

// The HG532's control server names no product in its headers.
const HUAWEI_SERVER = 'UPnP/1.0';
const WANPPP = 'urn:schemas-upnp-org:service:WANPPPConnection:1';

export const huaweiUpnp: Persona = {
  name: 'huawei-hg532',
  product: 'Huawei HG532 UPnP control (port 37215)',
  ports: [37215],
  claims: (req) => req.path.startsWith('/ctrlt/'),
  respond(req, rec) {
    soapAction(req, rec);
    if (req.method === 'POST' && req.path === '/ctrlt/DeviceUpgrade_1') {
      return soap(`<u:UpgradeResponse xmlns:u="${WANPPP}"><NewUpgradeStatus>1` +
        '</NewUpgradeStatus></u:UpgradeResponse>', 200, HUAWEI_SERVER);
    }
    return { status: 404, headers: [['Server', HUAWEI_SERVER], ['Content-Type', 'text/html']],
      body: '<html><body>404 Not Found</body></html>' };
  },
};
