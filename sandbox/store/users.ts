// The seeded users: two mailboxes at each provider. Names carry non-ASCII on purpose.
import type { SandboxUser } from '../core/types';

export const SANDBOX_TENANT_ID = '3f2b8c1e-5a7d-4e09-b6a1-9d0c2e4f7a13';

export const SEED_USERS: SandboxUser[] = [
  { email: 'alice@example.com', name: 'Alice Andersen', provider: 'google', id: '104857600123456789012' },
  { email: 'bob@example.com', name: 'Bob 王伟', provider: 'google', id: '104857600123456789013' },
  { email: 'carol@contoso.example', name: 'Carol de Vries', provider: 'microsoft', id: '5d1e8f3a-0b6c-4c2d-9e7f-1a2b3c4d5e6f', tenantId: SANDBOX_TENANT_ID },
  { email: 'dave@contoso.example', name: 'Dave Müller', provider: 'microsoft', id: '6e2f9a4b-1c7d-4d3e-8f9a-2b3c4d5e6f70', tenantId: SANDBOX_TENANT_ID },
];
