// A camera's push key, shown this once (at registration or after replacing it), with a copy button.
import '../words.ts';
import { Button, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function PushKeyModal({ cameraId, pushKey, onClose }: { cameraId: string; pushKey: string; onClose(): void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(pushKey);
      setCopied(true);
    } catch {
      // Without clipboard access (plain http) the key stays selectable in the box.
      setCopied(false);
    }
  };
  return (
    <Modal
      open
      title={t('monitoring.cameras.pushKey')}
      onCancel={onClose}
      onOk={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
    >
      <p>{t('monitoring.cameras.keyOnce')}</p>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          readOnly
          value={pushKey}
          aria-label={t('monitoring.cameras.pushKey')}
          data-testid="push-key"
          onFocus={(e) => e.target.select()}
        />
        <Button type="primary" onClick={copy}>
          {copied ? t('monitoring.cameras.copied') : t('monitoring.cameras.copy')}
        </Button>
      </Space.Compact>
      <p className="muted" style={{ marginTop: 12, wordBreak: 'break-all' }}>
        {t('monitoring.cameras.pushHow', { id: cameraId })}
      </p>
    </Modal>
  );
}
