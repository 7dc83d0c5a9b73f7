import { describe, expect, it } from 'vitest';
import { describePorts, expandPortItem, expandPortList, PortSpecError } from './ports.js';

describe('port lists', () => {
  it('expands numbers and ranges into sorted unique ports', () => {
    expect(expandPortList([80, '22', '1000-1003', 22])).toEqual([22, 80, 1000, 1001, 1002, 1003]);
  });

  it('rejects ports outside 1-65535 and naming the item', () => {
    expect(() => expandPortItem(0)).toThrow(PortSpecError);
    expect(() => expandPortItem('65536')).toThrow(/"65536" is outside/);
    expect(() => expandPortItem('90-80')).toThrow(/start is above its end/);
    expect(() => expandPortItem('http')).toThrow(/not a port number/);
  });

  it('compresses consecutive ports into ranges for display', () => {
    expect(describePorts([22, 80, 81, 82, 443])).toBe('22,80-82,443');
    expect(describePorts([])).toBe('');
  });
});
