import { natsCredentials, natsSeeds } from './nats-connection';

describe('NATS seeds', () => {
  it.each([
    ['ok/one plain URL', 'nats://127.0.0.1:4222', ['nats://127.0.0.1:4222'], undefined],
    ['ok/cluster with credentials', 'tls://ca:s%40cret@n1:4222, tls://ca:s%40cret@n2:4222', ['tls://n1:4222', 'tls://n2:4222'], { user: 'ca', pass: 's@cret' }],
  ])('%s', (_name, url, seeds, creds) => {
    expect(natsSeeds(url)).toEqual(seeds);
    expect(natsCredentials(url)).toEqual(creds);
  });
});
