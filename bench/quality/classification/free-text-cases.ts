/** Free-text descriptions (written for this benchmark) with the Annex I entry an expert would expect in the top 3. */
export interface FreeTextCase {
  description: string;
  /** Acceptable codes: a hit counts if it equals one of these or lies under it in the tree. */
  expected: string[];
}

export const FREE_TEXT_CASES: FreeTextCase[] = [
  {
    description: 'Portable IMSI catcher that collects IMSI and IMEI numbers of phones nearby',
    expected: ['5A001.f.2'],
  },
  {
    description: 'Fake base station to identify mobile subscribers at a demonstration',
    expected: ['5A001.f.2'],
  },
  { description: 'Cell-site simulator for police to locate a suspect handset', expected: ['5A001.f.2'] },
  {
    description:
      'Device that captures subscriber identifiers and signalling over the air interface of LTE networks',
    expected: ['5A001.f.2'],
  },
  {
    description: 'Active GSM interceptor capturing voice calls and SMS over the air',
    expected: ['5A001.f.1'],
  },
  {
    description: 'Off-air interception system that decrypts A5/1 and records phone calls',
    expected: ['5A001.f.1'],
  },
  {
    description:
      'Equipment for extraction of voice or data transmitted over the air interface of 3G networks',
    expected: ['5A001.f.1'],
  },
  { description: 'Selective cell phone jammer that blocks only targeted handsets', expected: ['5A001.f.3'] },
  {
    description: 'Smart jammer simulating a radio access network to deny mobile service to chosen phones',
    expected: ['5A001.f.3'],
  },
  {
    description:
      'Equipment to degrade and deny mobile telecommunication services by exploiting GSM protocol characteristics',
    expected: ['5A001.f.3'],
  },
  { description: 'Sensor detecting IMSI catchers and jammers around an embassy', expected: ['5A001.f.4'] },
  {
    description: 'RF monitoring equipment that identifies the operation of interception equipment',
    expected: ['5A001.f.4'],
  },
  {
    description:
      'Nationwide deep packet inspection system on the internet backbone that extracts emails and chats and indexes them',
    expected: ['5A001.j'],
  },
  {
    description:
      'IP network surveillance system analysing layer 7 traffic and mapping the relational network of suspects',
    expected: ['5A001.j'],
  },
  {
    description:
      'National internet monitoring centre searching intercepted traffic by e-mail address and name',
    expected: ['5A001.j', '5D001.e'],
  },
  {
    description: 'Mass surveillance platform on a carrier class IP network with application layer analysis',
    expected: ['5A001.j'],
  },
  {
    description:
      'Law enforcement monitoring centre software receiving intercepts over the ETSI handover interface',
    expected: ['5D001.e'],
  },
  {
    description:
      'Software for police to search intercepted communications by phone number and track the location of targets',
    expected: ['5D001.e'],
  },
  {
    description:
      'Link analysis software mapping the relational network of targeted individuals from lawful interception data',
    expected: ['5D001.e'],
  },
  { description: 'Command and control server for a mobile spyware implant', expected: ['4A005', '4D004'] },
  {
    description:
      'Software that builds and delivers a trojan to a target phone via a zero-click exploit chain',
    expected: ['4D004', '4A005'],
  },
  { description: 'Spyware infection server and agent management console', expected: ['4D004', '4A005'] },
  {
    description:
      'Network injection appliance delivering intrusion software through internet provider traffic',
    expected: ['4A005', '4D004'],
  },
  {
    description: 'Government remote control system to infect computers and exfiltrate files',
    expected: ['4D004', '4A005'],
  },
  { description: 'Training course on exploit development bypassing ASLR and DEP', expected: ['4E001.c'] },
  { description: 'Technology for the development of intrusion software', expected: ['4E001.c'] },
  {
    description: 'Zero-day exploit research and know-how transfer to a government customer',
    expected: ['4E001.c'],
  },
  {
    description: 'Mobile forensics kit with physical extraction and lock screen bypass',
    expected: ['5A004.b', '5D002.c.3.b'],
  },
  {
    description: 'Tool extracting raw data from a phone flash memory by circumventing its authentication',
    expected: ['5A004.b', '5D002.c.3.b'],
  },
  {
    description: 'Passcode brute force and phone unlocking device for investigators',
    expected: ['5A004.b', '5D002.c.3.b'],
  },
  {
    description:
      'Software performing the functions of a forensic device that bypasses authorisation controls to read RAM',
    expected: ['5D002.c.3.b', '5A004.b'],
  },
  {
    description: 'Cryptanalysis appliance that recovers keys and passwords from encrypted traffic',
    expected: ['5A004.a'],
  },
  {
    description: 'Radio direction finding equipment locating transmitters with short signal bursts',
    expected: ['5A001.e'],
  },
  {
    description: 'Passive coherent location radar using reflections of cellular base station emissions',
    expected: ['5A001.g'],
  },
  {
    description: 'Encrypted satellite phone with strong cryptography for confidentiality',
    expected: ['5A002.a', '5A002'],
  },
  {
    description: 'Counter IED jammer preventing the initiation of improvised explosive devices',
    expected: ['5A001.h'],
  },
  {
    description: 'Software specially designed to provide the functions of IMSI catcher equipment',
    expected: ['5D001.c', '5A001.f.2'],
  },
  {
    description: 'Know-how for the development of equipment specified in 5A001 mobile interception',
    expected: ['5E001.a', '5A001.f'],
  },
  { description: 'Underwater acoustic communications system for divers', expected: ['5A001.b.1'] },
  { description: 'Quantum key distribution equipment', expected: ['5A002.c'] },
  { description: 'Jammer used by convoys against remote-controlled bombs', expected: ['5A001.h'] },
  {
    description: 'Interception of mobile telecommunications with extraction of identifiers such as TIMSI',
    expected: ['5A001.f.2'],
  },
];
