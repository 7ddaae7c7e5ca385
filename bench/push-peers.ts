// The SMTP and SMPP peers of the push benchmark in a process of their own (started by
// bench/push.ts over IPC): parsing 100,000 mails must not share a thread with the dispatcher
// it measures. Answers 'counts' with how many times each Message-ID / delivery id arrived.
import { startSmppPeer } from '../server/test/peers/smpp-peer.ts';
import { startSmtpPeer } from '../server/test/peers/smtp-peer.ts';

const smtp = await startSmtpPeer();
const smpp = await startSmppPeer();
process.on('message', (m: string) => {
  if (m === 'counts') process.send!({ mail: [...smtp.counts], sms: [...smpp.counts] });
  if (m === 'close') void Promise.all([smtp.close(), smpp.close()]).then(() => process.exit(0));
});
process.send!({ smtp: smtp.port, smpp: { port: smpp.port, systemId: smpp.systemId, password: smpp.password } });
