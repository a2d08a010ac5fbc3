// Send tracking outside the Email center: after a per-recipient send from a block's "Send email"
// action (or "Open the outbox" after a send of unknown fate), the outbox opens in a drawer.
import { Drawer } from 'antd';
import React, { useState } from 'react';
import type { TrackTarget } from '../center/Composer';
import { Outbox } from '../center/Outbox';
import { CENTER_CSS } from '../center/styles';
import { useT } from '../i18n';

export function OutboxDrawer({ target, onClose }: { target: TrackTarget | null; onClose: () => void }) {
  const t = useT();
  // Inside the drawer the user may go from one send's tracking to the whole outbox and back.
  const [bulkId, setBulkId] = useState<string | null | undefined>(undefined);
  const shown = bulkId === undefined ? target?.bulkId : bulkId;
  return (
    <Drawer
      open={!!target}
      title={t('Outbox')}
      width={900}
      onClose={() => {
        setBulkId(undefined);
        onClose();
      }}
      destroyOnClose
      data-testid="outbox-drawer"
      styles={{ body: { padding: 0, display: 'flex', flexDirection: 'column' } }}
    >
      <style>{CENTER_CSS}</style>
      {target && (
        <Outbox key={shown ?? ''} bulkId={shown} onOpenBulk={setBulkId} onBack={shown ? () => setBulkId(null) : undefined} />
      )}
    </Drawer>
  );
}
