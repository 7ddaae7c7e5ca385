import fc from 'fast-check';
import { formatDate } from '@kx/engine';
import { describe, expect, it } from 'vitest';
import { makeIdNumber } from './id-number.ts';
import { maskAddress, maskBankCard, maskIdNumber, maskName, maskPhone } from './mask.ts';

describe('examples of domain.md §6', () => {
  it('ID number keeps 6 + 4, or 1 + 2 in Hutool style', () => {
    expect(maskIdNumber('371502198001010018')).toBe('371502********0018');
    expect(maskIdNumber('371502198001010018', 'hutool')).toBe('3***************18');
  });

  it('mobile keeps 3 + 4', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('+86 138-1234-1234')).toBe('138****1234');
  });

  it('name keeps the surname only', () => {
    expect(maskName('李小明')).toBe('李**');
    expect(maskName('李明')).toBe('李*');
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('欧阳')).toBe('欧*');
    expect(maskName('王')).toBe('*');
  });

  it('bank card keeps 4 + 4 in groups', () => {
    expect(maskBankCard('6228480012348888')).toBe('6228 **** **** 8888');
    expect(maskBankCard('6228 4800 1234 8888')).toBe('6228 **** **** 8888');
    expect(maskBankCard('6228480012345678888')).toBe('6228 **** **** *** 8888');
  });

  it('address is shown down to the district', () => {
    expect(maskAddress('山东省聊城市东昌府区古楼街道光岳路1号')).toBe('山东省聊城市东昌府区****');
    expect(maskAddress('聊城市莘县莘亭街道')).toBe('聊城市莘县****');
    expect(maskAddress('临清市青年路街道3号')).toBe('临清市****');
    expect(maskAddress('聊城市茌平区振兴街道')).toBe('聊城市茌平区****');
    expect(maskAddress('北京市海淀区中关村大街1号')).toBe('北京市海淀区****');
    expect(maskAddress('广东省深圳市南山区科技园')).toBe('广东省深圳市南山区****');
    expect(maskAddress('聊城市东昌府区')).toBe('聊城市东昌府区');
  });
});

describe('never shows more than the convention', () => {
  it('does not run past the county into a market or a 小区', () => {
    expect(maskAddress('某县某镇幸福市场东小区5号')).toBe('某县****');
  });

  it('hides the whole value when it does not look as expected', () => {
    expect(maskAddress('幸福路5号')).toBe('****');
    expect(maskAddress('山东省济南')).toBe('****');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskIdNumber('3715020')).toBe('*******');
    expect(maskBankCard('62284800')).toBe('********');
  });

  it('a masked ID number keeps its length and reveals only the first 6 and last 4', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 20000 }), (seq, day) => {
        const id = makeIdNumber('371522', formatDate(day), seq);
        const m = maskIdNumber(id);
        return m.length === 18 && m.slice(0, 6) === id.slice(0, 6) && m.slice(-4) === id.slice(-4) && /^\*{8}$/.test(m.slice(6, 14));
      }),
    );
  });

  it('a masked mobile never contains the middle four digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (p) => {
        const m = maskPhone(p);
        return m.length === 11 && m.slice(3, 7) === '****' && m.slice(0, 3) === p.slice(0, 3) && m.slice(-4) === p.slice(-4);
      }),
    );
  });
});
